//! Checking what people type. Every problem is reported against its field with a message that
//! says what to fix, in the words of the GOV.UK error message guidance.

/// Problems with a submitted form, in the order of its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), message.into()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// `Ok(value)` when no problem was found.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// A required line of text: trimmed, not empty, not longer than `max` characters.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    what: &str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {what}"));
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!("{} must be {max} characters or fewer", capitalise(what)),
        );
    }
    value.to_string()
}

/// The kinds of link Hearth shows. Any other scheme (`javascript:`, `data:`, `file:`, …) could
/// run script in the reader's browser or reach their machine when followed, so it is never
/// stored, whether typed or imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkScheme {
    Https,
    Http,
    Mailto,
    Tel,
}

/// A link's scheme when it is one Hearth allows and something follows it (a host for web
/// addresses); `None` otherwise. Spaces and control characters are refused outright, since
/// browsers drop them and would read `java\tscript:` as `javascript:`.
pub fn link_scheme(link: &str) -> Option<LinkScheme> {
    if link.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let (scheme, rest) = link.split_once(':')?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "https" => LinkScheme::Https,
        "http" => LinkScheme::Http,
        "mailto" => LinkScheme::Mailto,
        "tel" => LinkScheme::Tel,
        _ => return None,
    };
    let complete = match scheme {
        LinkScheme::Https | LinkScheme::Http => rest
            .strip_prefix("//")
            .is_some_and(|host| !host.is_empty() && !host.starts_with('/')),
        LinkScheme::Mailto | LinkScheme::Tel => !rest.is_empty(),
    };
    complete.then_some(scheme)
}

/// Whether a link is a web address (https or http), which is what a website field holds.
pub fn is_web_address(link: &str) -> bool {
    matches!(
        link_scheme(link),
        Some(LinkScheme::Https | LinkScheme::Http)
    )
}

/// An optional line of text: trimmed, `None` when empty.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    what: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(
            field,
            format!("{} must be {max} characters or fewer", capitalise(what)),
        );
    }
    (!value.is_empty()).then(|| value.to_string())
}

fn capitalise(what: &str) -> String {
    let what = what
        .strip_prefix("a ")
        .or_else(|| what.strip_prefix("an "))
        .or_else(|| what.strip_prefix("the "))
        .or_else(|| what.strip_prefix("your "))
        .unwrap_or(what);
    let mut chars = what.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The longest email address we accept (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// An email address as we store it: trimmed and lower-cased. Checks the shape only
/// (`name@domain.tld`); whether it exists is for the organisation to know.
pub fn email(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        errors.add(field, "Enter an email address");
    } else if value.chars().count() > EMAIL_MAX {
        errors.add(
            field,
            format!("Email address must be {EMAIL_MAX} characters or fewer"),
        );
    } else if !is_email_shaped(&value) {
        errors.add(
            field,
            "Enter an email address in the correct format, like name@example.org",
        );
    }
    value
}

fn is_email_shaped(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// The password rules: long enough to resist guessing (NCSC advice favours length over
/// complexity), short enough that hashing it cannot be used to exhaust the server.
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

pub fn new_password(errors: &mut FieldErrors, field: &str, value: &str, email: &str) {
    let len = value.chars().count();
    if len == 0 {
        errors.add(field, "Enter a new password");
    } else if len < PASSWORD_MIN {
        errors.add(
            field,
            format!(
                "Password must be {PASSWORD_MIN} characters or more; three random words work well"
            ),
        );
    } else if len > PASSWORD_MAX {
        errors.add(
            field,
            format!("Password must be {PASSWORD_MAX} characters or fewer"),
        );
    } else if !email.is_empty() && value.to_lowercase().contains(&email.to_lowercase()) {
        errors.add(field, "Password must not contain your email address");
    } else if is_common_password(value) {
        errors.add(
            field,
            "This password is one of the most common, often tried first by attackers. Choose a less common password: three random words work well",
        );
    }
}

/// The 100,000 passwords seen most often in breaches (see `data/README.md`), lower-cased and
/// sorted, one a line.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// True when `password`, in any case, is on the list of common and breached passwords.
pub fn is_common_password(password: &str) -> bool {
    // The lines are split once, then searched in order: no copy of the 800 KB list is made.
    static LINES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let lines = LINES.get_or_init(|| COMMON_PASSWORDS.lines().collect());
    lines
        .binary_search(&password.to_lowercase().as_str())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_phone_links_are_allowed() {
        assert_eq!(
            link_scheme("https://example.org/a?b=c"),
            Some(LinkScheme::Https)
        );
        assert_eq!(link_scheme("HTTP://example.org"), Some(LinkScheme::Http));
        assert_eq!(
            link_scheme("mailto:help@example.org"),
            Some(LinkScheme::Mailto)
        );
        assert_eq!(link_scheme("tel:+441150000000"), Some(LinkScheme::Tel));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "vbscript:msgbox(1)",
            "https:",
            "https:///path-only",
            "//example.org",
            "example.org",
            "mailto:",
            "",
        ] {
            assert_eq!(link_scheme(bad), None, "{bad:?}");
        }
        assert!(is_web_address("https://example.org"));
        assert!(!is_web_address("mailto:help@example.org"));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        let mut e = FieldErrors::new();
        assert_eq!(
            email(&mut e, "email", "  Lead@Demo.Hearth.TEST "),
            "lead@demo.hearth.test"
        );
        assert!(e.is_empty());
        for bad in [
            "lead",
            "lead@",
            "@demo.test",
            "lead@demo",
            "le ad@demo.test",
            "a@b..c",
        ] {
            let mut e = FieldErrors::new();
            email(&mut e, "email", bad);
            assert_eq!(
                e.get("email"),
                Some("Enter an email address in the correct format, like name@example.org"),
                "{bad}"
            );
        }
        let mut e = FieldErrors::new();
        email(&mut e, "email", "");
        assert_eq!(e.get("email"), Some("Enter an email address"));
    }

    #[test]
    fn text_limits_say_what_to_fix() {
        let mut e = FieldErrors::new();
        required_text(
            &mut e,
            "name",
            "the organisation name",
            &"x".repeat(201),
            200,
        );
        assert_eq!(
            e.get("name"),
            Some("Organisation name must be 200 characters or fewer")
        );
        let mut e = FieldErrors::new();
        required_text(&mut e, "name", "the organisation name", "   ", 200);
        assert_eq!(e.get("name"), Some("Enter the organisation name"));
        let mut e = FieldErrors::new();
        assert_eq!(optional_text(&mut e, "n", "a note", "  ", 10), None);
        assert!(e.is_empty());
    }

    #[test]
    fn only_the_first_problem_per_field_is_kept() {
        let mut e = FieldErrors::new();
        e.add("a", "first");
        e.add("a", "second");
        e.add("b", "other");
        assert_eq!(
            e.iter().collect::<Vec<_>>(),
            vec![("a", "first"), ("b", "other")]
        );
        assert!(e.into_result(()).is_err());
    }

    #[test]
    fn the_common_password_list_is_sorted_and_lower_case_so_it_can_be_searched() {
        let lines: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert!(lines.len() > 90_000);
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        assert!(lines.iter().all(|l| *l == l.to_lowercase()));
        assert!(is_common_password("Password1"));
        assert!(!is_common_password("kettle violin orchard"));
    }

    #[test]
    fn passwords_must_be_long_but_bounded() {
        let check = |p: &str| {
            let mut e = FieldErrors::new();
            new_password(&mut e, "p", p, "sam@example.org");
            e.get("p").map(str::to_string)
        };
        assert!(check("short").is_some());
        assert!(check(&"x".repeat(129)).is_some());
        assert!(check("my sam@example.org pass").is_some());
        assert_eq!(check("correct horse battery staple"), None);
        let common = check("QWERTY123456").unwrap_or_default();
        assert!(
            common.contains("Choose a less common password"),
            "common passwords are refused whatever their case: {common}"
        );
    }
}
