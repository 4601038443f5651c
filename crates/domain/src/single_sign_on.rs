//! Single sign-on: which organisation's identity provider serves an email address, and the
//! rules an administrator sets that turn a person's first sign-in into an account with a team
//! and roles. The protocol (OpenID Connect) is checked in `app`; what it proves is decided here.

use crate::ids::TeamId;
use crate::role::{Role, RoleSet};
use std::fmt;
use std::str::FromStr;

/// What a rule looks at in the identity provider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleCondition {
    /// The person's email address is at this domain (lower case, no `@`).
    EmailDomain(String),
    /// A claim (a text, or a list of texts such as `groups`) holds this value exactly.
    Claim { name: String, value: String },
}

/// One rule: whoever meets the condition gets the role (and, from the first rule that names
/// one, the team).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRule {
    pub condition: RuleCondition,
    pub role: Role,
    pub team: Option<TeamId>,
    /// A rule giving a role that needs a second administrator (separation of duties, like a
    /// role given on a user's page) applies only once another administrator has confirmed it.
    pub confirmed: bool,
}

/// A rule's condition, as the administrator typed it: `email_domain` or the claim's name, and
/// the value.
pub fn condition(claim: &str, value: &str) -> Result<RuleCondition, &'static str> {
    let claim = claim.trim();
    let value = value.trim();
    if value.is_empty() {
        return Err("Enter the value the claim must have, like staff or school.example.org");
    }
    if claim == EMAIL_DOMAIN_CLAIM {
        return domain(value).map(RuleCondition::EmailDomain);
    }
    let claim_shaped = !claim.is_empty()
        && claim.len() <= 100
        && claim
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.:/".contains(&b));
    if !claim_shaped {
        return Err("Enter the claim's name as the provider sends it, like groups or roles, or email_domain");
    }
    if value.chars().count() > 200 {
        return Err("The claim's value must be 200 characters or fewer");
    }
    Ok(RuleCondition::Claim {
        name: claim.to_string(),
        value: value.to_string(),
    })
}

/// The pseudo-claim a rule names to match the email address's domain.
pub const EMAIL_DOMAIN_CLAIM: &str = "email_domain";

impl RuleCondition {
    /// The claim's name as stored and shown (`email_domain` for a domain).
    pub fn claim(&self) -> &str {
        match self {
            RuleCondition::EmailDomain(_) => EMAIL_DOMAIN_CLAIM,
            RuleCondition::Claim { name, .. } => name,
        }
    }

    pub fn value(&self) -> &str {
        match self {
            RuleCondition::EmailDomain(d) => d,
            RuleCondition::Claim { value, .. } => value,
        }
    }

    fn holds(&self, answer: &Answer<'_>) -> bool {
        match self {
            RuleCondition::EmailDomain(d) => email_domain(answer.email) == Some(d.as_str()),
            RuleCondition::Claim { name, value } => {
                answer.claims.iter().any(|(n, v)| n == name && v == value)
            }
        }
    }
}

/// What the identity provider said about the person, once its token has been verified.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// Lower case.
    pub email: &'a str,
    /// Every claim as (name, value); a list claim gives one pair per item.
    pub claims: &'a [(String, String)],
}

/// The account a first sign-in makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub roles: RoleSet,
    pub team: Option<TeamId>,
}

/// The roles of every confirmed rule the answer meets, and the team of the first that names
/// one; `None` when no rule gives a role (the person is refused, not given an empty account).
pub fn map_first_sign_in(rules: &[MappingRule], answer: &Answer<'_>) -> Option<Mapping> {
    let met: Vec<&MappingRule> = rules
        .iter()
        .filter(|r| r.confirmed && r.condition.holds(answer))
        .collect();
    if met.is_empty() {
        return None;
    }
    Some(Mapping {
        roles: RoleSet::new(met.iter().map(|r| r.role)),
        team: met.iter().find_map(|r| r.team),
    })
}

/// The domain of an email address, lower case.
pub fn email_domain(email: &str) -> Option<&str> {
    email
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
}

/// Whether a provider serving `domains` is the one for `email`.
pub fn serves(domains: &[String], email: &str) -> bool {
    let email = email.trim().to_lowercase();
    email_domain(&email).is_some_and(|d| domains.iter().any(|s| s == d))
}

/// One email domain as an administrator typed it (`@school.org` or `school.org`).
pub fn domain(raw: &str) -> Result<String, &'static str> {
    let d = raw.trim().trim_start_matches('@').to_lowercase();
    let labels: Vec<&str> = d.split('.').collect();
    let shaped = d.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if shaped {
        Ok(d)
    } else {
        Err("Enter each email domain like school.example.org, separated by spaces or commas")
    }
}

/// The email domains a provider serves, typed separated by spaces, commas or lines.
pub fn domains(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for d in raw.split(|c: char| c == ',' || c.is_whitespace()) {
        if d.is_empty() {
            continue;
        }
        let d = domain(d)?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        return Err("Enter the email domains the provider serves, like school.example.org");
    }
    Ok(out)
}

/// The scopes asked for: always `openid` (first), then the administrator's, each a word.
pub fn scopes(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut out = vec!["openid".to_string()];
    for s in raw.split(|c: char| c == ',' || c.is_whitespace()) {
        if s.is_empty() || out.iter().any(|o| o == s) {
            continue;
        }
        if s.len() > 100
            || !s
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        {
            return Err(
                "Enter scopes as single words separated by spaces, like openid email profile",
            );
        }
        out.push(s.to_string());
    }
    Ok(out)
}

/// Why a single sign-on was refused: each is audited with its code and explained on the page
/// without a stack trace or the provider's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The answer's `state` was not one this browser started (forged, replayed or expired).
    WrongState,
    /// The provider could not be reached, was too slow, or answered with something that is not
    /// OpenID Connect.
    ProviderUnavailable,
    /// The provider refused the code (used already, or not issued for this sign-in).
    CodeRefused,
    /// The ID token's signature, issuer, audience or expiry did not check out.
    TokenRejected,
    /// The ID token was made for another sign-in (its `nonce`).
    WrongNonce,
    /// The provider said the person did not sign in, or cancelled.
    CancelledAtProvider,
    /// No verified email address came with the token.
    NoEmail,
    /// The email address is not at a domain this provider serves.
    DomainNotServed,
    /// No rule maps the person to a role: an administrator must add them or a rule.
    Unmapped,
    /// The account exists but was deactivated in Hearth.
    Deactivated,
    /// The email address belongs to an account in another organisation or tied to another
    /// provider; it is not taken over.
    EmailTaken,
}

impl Refusal {
    pub const ALL: [Refusal; 11] = [
        Refusal::WrongState,
        Refusal::ProviderUnavailable,
        Refusal::CodeRefused,
        Refusal::TokenRejected,
        Refusal::WrongNonce,
        Refusal::CancelledAtProvider,
        Refusal::NoEmail,
        Refusal::DomainNotServed,
        Refusal::Unmapped,
        Refusal::Deactivated,
        Refusal::EmailTaken,
    ];

    /// The stable code written to the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::WrongState => "wrong_state",
            Refusal::ProviderUnavailable => "provider_unavailable",
            Refusal::CodeRefused => "code_refused",
            Refusal::TokenRejected => "token_rejected",
            Refusal::WrongNonce => "wrong_nonce",
            Refusal::CancelledAtProvider => "cancelled_at_provider",
            Refusal::NoEmail => "no_email",
            Refusal::DomainNotServed => "domain_not_served",
            Refusal::Unmapped => "unmapped",
            Refusal::Deactivated => "deactivated",
            Refusal::EmailTaken => "email_taken",
        }
    }

    /// What the person is told, and what to do.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::WrongState | Refusal::WrongNonce | Refusal::CodeRefused => {
                "This sign-in could not be checked: it was started in another browser, used already, or took too long. Start again from the sign-in page."
            }
            Refusal::ProviderUnavailable => {
                "Your organisation's sign-in service did not answer in time, or answered wrongly. Try again in a few minutes; if it keeps happening, tell your IT service desk."
            }
            Refusal::TokenRejected => {
                "Your organisation's sign-in service sent an answer Hearth could not trust, so you were not signed in. Tell your organisation's Hearth administrator."
            }
            Refusal::CancelledAtProvider => {
                "You did not finish signing in with your organisation. Start again from the sign-in page."
            }
            Refusal::NoEmail => {
                "Your organisation's sign-in service did not give Hearth a confirmed email address for you. Ask your IT service desk to share it."
            }
            Refusal::DomainNotServed | Refusal::Unmapped => {
                "You signed in with your organisation, but Hearth has no account for you and no rule that gives you one. Ask your organisation's Hearth administrator to add you."
            }
            Refusal::Deactivated => {
                "Your Hearth account has been turned off. Ask your organisation's Hearth administrator if you still need it."
            }
            Refusal::EmailTaken => {
                "A Hearth account with your email address already exists and signs in another way. Ask your organisation's Hearth administrator to link it."
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Refusal {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Refusal::ALL.into_iter().find(|r| r.code() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(claim: &str, value: &str, role: Role, team: Option<TeamId>) -> MappingRule {
        MappingRule {
            condition: condition(claim, value).expect("a condition"),
            role,
            team,
            confirmed: true,
        }
    }

    fn claims(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn rules_give_every_role_met_and_the_first_team_named() {
        let pastoral = TeamId::new();
        let safeguarding = TeamId::new();
        let rules = [
            rule(
                "email_domain",
                "school.test",
                Role::Practitioner,
                Some(pastoral),
            ),
            rule(
                "groups",
                "safeguarding-leads",
                Role::LeadProfessional,
                Some(safeguarding),
            ),
            rule("groups", "analysts", Role::Analyst, None),
        ];
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<(Vec<Role>, Option<TeamId>)>,
        );
        let cases: [Case<'_>; 5] = [
            (
                "ann@school.test",
                &[("groups", "staff")],
                Some((vec![Role::Practitioner], Some(pastoral))),
            ),
            (
                "dev@school.test",
                &[("groups", "staff"), ("groups", "safeguarding-leads")],
                Some((
                    vec![Role::Practitioner, Role::LeadProfessional],
                    Some(pastoral),
                )),
            ),
            (
                "al@council.test",
                &[("groups", "analysts")],
                Some((vec![Role::Analyst], None)),
            ),
            ("sam@elsewhere.test", &[("groups", "staff")], None),
            // A domain is matched whole, not as a suffix.
            ("eve@evilschool.test", &[], None),
        ];
        for (email, pairs, expected) in cases {
            let c = claims(pairs);
            let got = map_first_sign_in(&rules, &Answer { email, claims: &c });
            let expected = expected.map(|(roles, team)| Mapping {
                roles: RoleSet::new(roles),
                team,
            });
            assert_eq!(got, expected, "{email}");
        }
    }

    #[test]
    fn a_rule_waiting_for_a_second_administrator_gives_nothing() {
        let mut r = rule("email_domain", "school.test", Role::Practitioner, None);
        r.confirmed = false;
        let c = claims(&[]);
        let answer = Answer {
            email: "ann@school.test",
            claims: &c,
        };
        assert_eq!(map_first_sign_in(&[r], &answer), None);
    }

    #[test]
    fn conditions_domains_and_scopes_are_checked_as_typed() {
        assert_eq!(
            condition("email_domain", "@School.Test"),
            Ok(RuleCondition::EmailDomain("school.test".into()))
        );
        assert!(condition("email_domain", "not a domain").is_err());
        assert!(condition("groups", "").is_err());
        assert!(condition("has space", "x").is_err());
        assert_eq!(
            domains("school.test, @Academy.test\nschool.test"),
            Ok(vec!["school.test".to_string(), "academy.test".to_string()])
        );
        assert!(domains(" ").is_err());
        assert!(domains("school").is_err());
        assert_eq!(
            scopes("email profile openid"),
            Ok(vec!["openid".into(), "email".into(), "profile".into()])
        );
        assert!(scopes("email \"x\"").is_err());
        assert!(serves(&["school.test".into()], " Ann@School.test"));
        assert!(!serves(&["school.test".into()], "ann@sub.school.test"));
    }

    #[test]
    fn refusal_codes_round_trip() {
        for r in Refusal::ALL {
            assert_eq!(r.code().parse(), Ok(r));
            assert!(!r.message().is_empty());
        }
    }
}
