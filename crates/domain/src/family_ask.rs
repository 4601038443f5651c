//! A family asking for help themselves (issue 24 item 1, ADR 0044): the answers they give on
//! the public pages, one question a page, and the checks on each answer.
//!
//! A problem is a code, not a sentence: the page says it in the family's own language (the
//! Fluent message `ask-error-<code>`), and the rules stay here, pure and table-tested.

use crate::need::NeedDomain;
use crate::person::DobCertainty;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asker {
    Parent,
    Carer,
    /// A young person asking for themselves: the consent page speaks to them, and the front
    /// door sees that they asked.
    YoungPerson,
    Other,
}

impl Asker {
    pub const ALL: [Asker; 4] = [
        Asker::Parent,
        Asker::Carer,
        Asker::YoungPerson,
        Asker::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Asker::Parent => "parent",
            Asker::Carer => "carer",
            Asker::YoungPerson => "young_person",
            Asker::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// How the front door reads it.
    pub fn label(self) -> &'static str {
        match self {
            Asker::Parent => "A parent",
            Asker::Carer => "A carer",
            Asker::YoungPerson => "A young person, for themselves",
            Asker::Other => "Someone else in the family",
        }
    }
}

/// The plain choices a family may tick beside their own words, each one of Hearth's needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Worry {
    Money,
    Home,
    School,
    Health,
    Baby,
    Arguments,
    HurtAtHome,
    Drugs,
    Police,
    Safety,
}

impl Worry {
    pub const ALL: [Worry; 10] = [
        Worry::Money,
        Worry::Home,
        Worry::School,
        Worry::Health,
        Worry::Baby,
        Worry::Arguments,
        Worry::HurtAtHome,
        Worry::Drugs,
        Worry::Police,
        Worry::Safety,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Worry::Money => "money",
            Worry::Home => "home",
            Worry::School => "school",
            Worry::Health => "health",
            Worry::Baby => "baby",
            Worry::Arguments => "arguments",
            Worry::HurtAtHome => "hurt_at_home",
            Worry::Drugs => "drugs",
            Worry::Police => "police",
            Worry::Safety => "safety",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code)
    }

    /// The need the front door reads it as.
    pub fn domain(self) -> NeedDomain {
        match self {
            Worry::Money => NeedDomain::FinancialStability,
            Worry::Home => NeedDomain::SecureHousing,
            Worry::School => NeedDomain::GoodEducation,
            Worry::Health => NeedDomain::Health,
            Worry::Baby => NeedDomain::EarlyYears,
            Worry::Arguments => NeedDomain::FamilyRelationships,
            Worry::HurtAtHome => NeedDomain::DomesticAbuse,
            Worry::Drugs => NeedDomain::SubstanceUse,
            Worry::Police => NeedDomain::CrimePrevention,
            Worry::Safety => NeedDomain::SafeFromAbuseAndExploitation,
        }
    }
}

/// How a person named is related to whoever is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Me,
    Child,
    Partner,
    Parent,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Relation::Me,
        Relation::Child,
        Relation::Partner,
        Relation::Parent,
        Relation::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Relation::Me => "me",
            Relation::Child => "child",
            Relation::Partner => "partner",
            Relation::Parent => "parent",
            Relation::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Relation::Me => "The person asking",
            Relation::Child => "Their child",
            Relation::Partner => "Their partner",
            Relation::Parent => "Their parent",
            Relation::Other => "Someone else in the family",
        }
    }
}

/// When a person was (or will be) born, as the family knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Born {
    On(NaiveDate),
    /// An age in years: the record keeps an estimated date of birth.
    Aged(u8),
    /// A baby not born yet, and when they are due.
    Due(NaiveDate),
}

impl Born {
    /// The date of birth the record keeps, and how sure it is.
    pub fn date_of_birth(self, today: NaiveDate) -> (NaiveDate, DobCertainty) {
        match self {
            Born::On(d) => (d, DobCertainty::Exact),
            Born::Due(d) => (d, DobCertainty::Expected),
            Born::Aged(y) => {
                let year = today.year() - i32::from(y);
                // The middle of the year they were born in: about right whatever the birthday.
                let d = NaiveDate::from_ymd_opt(year, today.month(), 1)
                    .unwrap_or(today)
                    .checked_sub_months(chrono::Months::new(6))
                    .unwrap_or(today);
                (d, DobCertainty::Estimated)
            }
        }
    }
}

/// One person the family named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    pub name: String,
    pub born: Born,
    pub relation: Relation,
}

/// What the family said about agreeing to share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// They agree that the front door shares what they said with the services that can help.
    Agree,
    /// They want to talk first, before anything is shared beyond the front door.
    TalkFirst,
}

impl Consent {
    pub const ALL: [Consent; 2] = [Consent::Agree, Consent::TalkFirst];

    pub fn code(self) -> &'static str {
        match self {
            Consent::Agree => "agree",
            Consent::TalkFirst => "talk_first",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Consent::Agree => "Agreed to share with the services that can help",
            Consent::TalkFirst => "Wants to talk first, before anything is shared",
        }
    }
}

/// The languages a family may ask to be spoken to in: the partnership's language audit, and
/// another they name.
pub const LANGUAGES: [&str; 6] = ["en", "ar", "ur", "pa", "ro", "pl"];

/// A language of [`LANGUAGES`] by its English name, as the record keeps a first language.
pub fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "ar" => "Arabic",
        "ur" => "Urdu",
        "pa" => "Punjabi",
        "ro" => "Romanian",
        "pl" => "Polish",
        _ => return None,
    })
}

/// Everything the family has answered so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub asker: Option<Asker>,
    pub worry: String,
    pub worries: Vec<Worry>,
    pub people: Vec<NamedPerson>,
    pub postcode: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub safe_to_text: Option<bool>,
    pub safe_to_leave_message: Option<bool>,
    pub safe_times: String,
    /// One of [`LANGUAGES`], or `other` with `language_other`.
    pub language: String,
    pub language_other: String,
    pub consent: Option<Consent>,
}

/// The pages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Who,
    Worry,
    People,
    Address,
    Contact,
    Language,
    Consent,
    Check,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Who,
        Step::Worry,
        Step::People,
        Step::Address,
        Step::Contact,
        Step::Language,
        Step::Consent,
        Step::Check,
    ];

    /// The page's path segment under `/ask/`.
    pub fn slug(self) -> &'static str {
        match self {
            Step::Who => "who",
            Step::Worry => "worry",
            Step::People => "people",
            Step::Address => "address",
            Step::Contact => "contact",
            Step::Language => "language",
            Step::Consent => "consent",
            Step::Check => "check",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn next(self) -> Step {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL.get(i + 1).copied().unwrap_or(Step::Check)
    }

    /// The page before, for the Back link; `None` on the first (back to the start page).
    pub fn previous(self) -> Option<Step> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        i.checked_sub(1).and_then(|p| Self::ALL.get(p).copied())
    }

    pub fn is_answered(self, a: &Answers) -> bool {
        match self {
            Step::Who => a.asker.is_some(),
            Step::Worry => !a.worry.trim().is_empty(),
            Step::People => !a.people.is_empty(),
            Step::Address => !a.postcode.trim().is_empty() || !a.address.trim().is_empty(),
            Step::Contact => contact_ok(a),
            Step::Language => !a.language.is_empty(),
            Step::Consent => a.consent.is_some(),
            Step::Check => false,
        }
    }
}

fn contact_ok(a: &Answers) -> bool {
    (!a.phone.trim().is_empty() && a.safe_to_text.is_some() && a.safe_to_leave_message.is_some())
        || (a.phone.trim().is_empty() && !a.email.trim().is_empty())
}

/// The first page not yet answered: "Check your answers" only opens when every page is.
pub fn first_unanswered(a: &Answers) -> Step {
    Step::ALL
        .into_iter()
        .find(|s| *s != Step::Check && !s.is_answered(a))
        .unwrap_or(Step::Check)
}

/// One thing to put right: the field and the code of its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub code: &'static str,
}

fn problem(field: &'static str, code: &'static str) -> Problem {
    Problem { field, code }
}

/// The longest answer of each kind, in characters.
pub const WORRY_MAX: usize = 5000;
pub const SHORT_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 500;
/// The most people one request may name.
pub const PEOPLE_MAX: usize = 12;

/// Digits as a family may type them (Arabic-Indic and Persian ones too), as ASCII.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

/// A date typed in one box, day first: 27/03/2012, 27 3 2012, 27-03-2012, 27.03.2012.
pub fn read_date(typed: &str) -> Option<NaiveDate> {
    let typed = ascii_digits(typed.trim());
    let parts: Vec<&str> = typed
        .split(['/', ' ', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse::<i32>().ok()?);
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

pub fn check_who(typed: &str) -> Result<Asker, Problem> {
    Asker::from_code(typed).ok_or(problem("asker", "asker"))
}

pub fn check_worry(words: &str, ticked: &[String]) -> Result<(String, Vec<Worry>), Problem> {
    let words = words.trim();
    if words.is_empty() {
        return Err(problem("worry", "worry-missing"));
    }
    if too_long(words, WORRY_MAX) {
        return Err(problem("worry", "worry-too-long"));
    }
    let mut worries: Vec<Worry> = ticked.iter().filter_map(|c| Worry::from_code(c)).collect();
    worries.dedup();
    Ok((words.to_string(), worries))
}

/// A person as typed on the "add a person" page. `born` is `dob`, `age` or `due`, with its
/// value in the matching box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PersonTyped {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub born: String,
    #[serde(default)]
    pub dob: String,
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub relation: String,
}

pub fn check_person(t: &PersonTyped, today: NaiveDate) -> Result<NamedPerson, Vec<Problem>> {
    let mut out = Vec::new();
    let name = t.name.trim();
    if name.is_empty() {
        out.push(problem("name", "name-missing"));
    } else if too_long(name, SHORT_MAX) {
        out.push(problem("name", "name-too-long"));
    }
    let born = match t.born.as_str() {
        "dob" => match read_date(&t.dob) {
            Some(d) if d > today => {
                out.push(problem("dob", "dob-future"));
                None
            }
            Some(d) if today.year() - d.year() > 120 => {
                out.push(problem("dob", "dob-invalid"));
                None
            }
            Some(d) => Some(Born::On(d)),
            None => {
                out.push(problem("dob", "dob-invalid"));
                None
            }
        },
        "age" => match ascii_digits(t.age.trim()).parse::<u8>() {
            Ok(y) if y <= 120 => Some(Born::Aged(y)),
            _ => {
                out.push(problem("age", "age-invalid"));
                None
            }
        },
        "due" => match read_date(&t.due) {
            Some(d) if d >= today && d <= today + chrono::Days::new(300) => Some(Born::Due(d)),
            _ => {
                out.push(problem("due", "due-invalid"));
                None
            }
        },
        _ => {
            out.push(problem("born", "born-missing"));
            None
        }
    };
    let relation = Relation::from_code(&t.relation);
    if relation.is_none() {
        out.push(problem("relation", "relation-missing"));
    }
    match (born, relation) {
        (Some(born), Some(relation)) if out.is_empty() => Ok(NamedPerson {
            name: name.to_string(),
            born,
            relation,
        }),
        _ => Err(out),
    }
}

/// A UK postcode's shape: an outward code of two to four letters and digits, a space, and an
/// inward code of a digit and two letters. Tolerant of case and spacing.
pub fn tidy_postcode(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let n = s.len();
    if !(5..=7).contains(&n) || !s.is_ascii() {
        return None;
    }
    let (out, inward) = s.split_at(n - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let out_ok = out.as_bytes()[0].is_ascii_alphabetic()
        && out.chars().all(|c| c.is_ascii_alphanumeric())
        && out.chars().any(|c| c.is_ascii_digit());
    (inward_ok && out_ok).then(|| format!("{out} {inward}"))
}

pub fn check_address(postcode: &str, address: &str) -> Result<(String, String), Vec<Problem>> {
    let mut out = Vec::new();
    let (pc, addr) = (postcode.trim(), address.trim());
    if pc.is_empty() && addr.is_empty() {
        out.push(problem("postcode", "where-missing"));
    }
    let tidy = match pc {
        "" => Some(String::new()),
        pc => tidy_postcode(pc),
    };
    if tidy.is_none() {
        out.push(problem("postcode", "postcode-invalid"));
    }
    if too_long(addr, ADDRESS_MAX) {
        out.push(problem("address", "address-too-long"));
    }
    match tidy {
        Some(pc) if out.is_empty() => Ok((pc, addr.to_string())),
        _ => Err(out),
    }
}

/// How to reach the family safely, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactTyped {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub safe_to_text: String,
    #[serde(default)]
    pub safe_to_leave_message: String,
    #[serde(default)]
    pub safe_times: String,
}

/// The checked contact details: phone, email, safe to text, safe to leave a message, times.
pub type Contact = (String, String, Option<bool>, Option<bool>, String);

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub fn check_contact(t: &ContactTyped) -> Result<Contact, Vec<Problem>> {
    let mut out = Vec::new();
    let phone = ascii_digits(t.phone.trim());
    let email = t.email.trim().to_string();
    if phone.is_empty() && email.is_empty() {
        out.push(problem("phone", "contact-missing"));
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.is_empty()
        && (!(10..=15).contains(&digits)
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c)))
    {
        out.push(problem("phone", "phone-invalid"));
    }
    if !email.is_empty()
        && (too_long(&email, SHORT_MAX)
            || !email
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.ends_with('.'))
            || email.chars().any(char::is_whitespace))
    {
        out.push(problem("email", "email-invalid"));
    }
    let (text, message) = (yes_no(&t.safe_to_text), yes_no(&t.safe_to_leave_message));
    if !phone.is_empty() && text.is_none() {
        out.push(problem("safe_to_text", "safe-to-text-missing"));
    }
    if !phone.is_empty() && message.is_none() {
        out.push(problem(
            "safe_to_leave_message",
            "safe-to-leave-message-missing",
        ));
    }
    let times = t.safe_times.trim().to_string();
    if too_long(&times, SHORT_MAX) {
        out.push(problem("safe_times", "times-too-long"));
    }
    if !out.is_empty() {
        return Err(out);
    }
    // Without a phone, the phone's questions mean nothing and are not kept.
    let (text, message) = if phone.is_empty() {
        (None, None)
    } else {
        (text, message)
    };
    Ok((phone, email, text, message, times))
}

pub fn check_language(code: &str, other: &str) -> Result<(String, String), Problem> {
    let other = other.trim();
    match code {
        c if LANGUAGES.contains(&c) => Ok((c.to_string(), String::new())),
        "other" if other.is_empty() => Err(problem("language_other", "language-other-missing")),
        "other" if too_long(other, SHORT_MAX) => {
            Err(problem("language_other", "language-other-too-long"))
        }
        "other" => Ok(("other".into(), other.to_string())),
        _ => Err(problem("language", "language-missing")),
    }
}

pub fn check_consent(code: &str) -> Result<Consent, Problem> {
    Consent::from_code(code).ok_or(problem("consent", "consent-missing"))
}

/// The needs the front door starts from: each plain choice the family ticked.
pub fn needs_of(a: &Answers) -> Vec<NeedDomain> {
    let mut d: Vec<NeedDomain> = a.worries.iter().map(|w| w.domain()).collect();
    d.sort();
    d.dedup();
    d
}

/// A short reference a family can read out on the phone: no letters that look like digits.
pub fn reference(random: [u8; 8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let s: String = random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("FH-{}-{}", &s[..4], &s[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_read_as_families_type_them() {
        let cases = [
            ("27/03/2012", Some(day(2012, 3, 27))),
            ("27 3 2012", Some(day(2012, 3, 27))),
            ("27-03-2012", Some(day(2012, 3, 27))),
            ("27.03.2012", Some(day(2012, 3, 27))),
            ("٢٧/٠٣/٢٠١٢", Some(day(2012, 3, 27))),
            ("۲۷/۰۳/۲۰۱۲", Some(day(2012, 3, 27))),
            ("31/02/2012", None),
            ("2012", None),
            ("27/03/12", None),
            ("", None),
        ];
        for (typed, want) in cases {
            assert_eq!(read_date(typed), want, "{typed}");
        }
    }

    #[test]
    fn a_person_needs_a_name_a_birth_and_a_relation() {
        let today = day(2026, 12, 6);
        let t = |name: &str, born: &str, value: &str, rel: &str| PersonTyped {
            name: name.into(),
            born: born.into(),
            dob: value.into(),
            age: value.into(),
            due: value.into(),
            relation: rel.into(),
        };
        let codes = |r: Result<NamedPerson, Vec<Problem>>| -> Vec<&'static str> {
            r.err().unwrap_or_default().iter().map(|p| p.code).collect()
        };
        let cases: [(PersonTyped, Vec<&'static str>); 9] = [
            (t("Amina", "dob", "01/02/2015", "child"), vec![]),
            (t("Amina", "age", "34", "me"), vec![]),
            (t("Baby", "due", "01/03/2027", "child"), vec![]),
            (t("", "age", "3", "child"), vec!["name-missing"]),
            (t("Amina", "", "", "child"), vec!["born-missing"]),
            (t("Amina", "dob", "01/02/2027", "child"), vec!["dob-future"]),
            (t("Amina", "age", "abc", "child"), vec!["age-invalid"]),
            (t("Baby", "due", "01/03/2026", "child"), vec!["due-invalid"]),
            (t("Amina", "age", "9", "cousin"), vec!["relation-missing"]),
        ];
        for (typed, want) in cases {
            assert_eq!(codes(check_person(&typed, today)), want, "{typed:?}");
        }
        let ok = check_person(&t("Omar", "age", "٧", "child"), today).unwrap();
        assert_eq!(ok.born, Born::Aged(7));
        let (dob, certainty) = ok.born.date_of_birth(today);
        assert_eq!(certainty, DobCertainty::Estimated);
        assert_eq!(dob.year(), 2019);
    }

    #[test]
    fn contact_asks_about_safety_only_for_a_phone() {
        let c = |phone: &str, email: &str, text: &str, msg: &str| ContactTyped {
            phone: phone.into(),
            email: email.into(),
            safe_to_text: text.into(),
            safe_to_leave_message: msg.into(),
            safe_times: String::new(),
        };
        let codes = |t: ContactTyped| -> Vec<&'static str> {
            check_contact(&t)
                .err()
                .unwrap_or_default()
                .iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes(c("", "", "", "")), vec!["contact-missing"]);
        assert_eq!(
            codes(c("07700 900123", "", "", "")),
            vec!["safe-to-text-missing", "safe-to-leave-message-missing"]
        );
        assert_eq!(codes(c("12", "", "yes", "no")), vec!["phone-invalid"]);
        assert_eq!(codes(c("", "not-an-email", "", "")), vec!["email-invalid"]);
        assert!(codes(c("07700 900123", "", "no", "no")).is_empty());
        assert!(codes(c("", "mum@example.org", "", "")).is_empty());
        let ok = check_contact(&c("٠٧٧٠٠ ٩٠٠١٢٣", "", "no", "yes")).unwrap();
        assert_eq!(
            (ok.0.as_str(), ok.2, ok.3),
            ("07700 900123", Some(false), Some(true))
        );
        // Without a phone, a stray answer about texting is not kept.
        let ok = check_contact(&c("", "mum@example.org", "yes", "yes")).unwrap();
        assert_eq!((ok.2, ok.3), (None, None));
    }

    #[test]
    fn postcodes_and_addresses() {
        let cases = [
            ("ng7 2ab", "", Ok(("NG7 2AB".to_string(), String::new()))),
            (
                "NG72AB",
                "1 Hill St",
                Ok(("NG7 2AB".into(), "1 Hill St".into())),
            ),
            ("", "1 Hill St", Ok((String::new(), "1 Hill St".into()))),
            ("", "", Err(vec!["where-missing"])),
            ("NOT A CODE", "", Err(vec!["postcode-invalid"])),
        ];
        for (pc, addr, want) in cases {
            let got =
                check_address(pc, addr).map_err(|e| e.iter().map(|p| p.code).collect::<Vec<_>>());
            assert_eq!(got, want, "{pc} {addr}");
        }
    }

    #[test]
    fn steps_run_in_order_and_check_waits_for_every_answer() {
        assert_eq!(Step::Who.previous(), None);
        assert_eq!(Step::Worry.previous(), Some(Step::Who));
        assert_eq!(Step::Consent.next(), Step::Check);
        let mut a = Answers::default();
        assert_eq!(first_unanswered(&a), Step::Who);
        a.asker = Some(Asker::Parent);
        a.worry = "Money".into();
        assert_eq!(first_unanswered(&a), Step::People);
        a.people.push(NamedPerson {
            name: "Amina".into(),
            born: Born::Aged(30),
            relation: Relation::Me,
        });
        a.postcode = "NG7 2AB".into();
        a.phone = "07700900123".into();
        assert_eq!(first_unanswered(&a), Step::Contact);
        a.safe_to_text = Some(false);
        a.safe_to_leave_message = Some(false);
        a.language = "ar".into();
        assert_eq!(first_unanswered(&a), Step::Consent);
        a.consent = Some(Consent::Agree);
        assert_eq!(first_unanswered(&a), Step::Check);
    }

    #[test]
    fn worries_map_to_needs_and_languages_are_the_audits() {
        assert_eq!(Worry::Home.domain(), NeedDomain::SecureHousing);
        assert_eq!(Worry::HurtAtHome.domain(), NeedDomain::DomesticAbuse);
        for w in Worry::ALL {
            assert_eq!(Worry::from_code(w.code()), Some(w));
        }
        assert!(check_worry("  ", &[]).is_err());
        let (_, w) = check_worry("rent", &["home".into(), "nonsense".into()]).unwrap();
        assert_eq!(w, vec![Worry::Home]);
        assert!(check_language("ar", "").is_ok());
        assert_eq!(
            check_language("other", "").unwrap_err().code,
            "language-other-missing"
        );
        assert_eq!(
            check_language("fr", "").unwrap_err().code,
            "language-missing"
        );
        assert_eq!(check_language("other", "Kurdish").unwrap().1, "Kurdish");
    }

    #[test]
    fn references_read_aloud() {
        let r = reference([0, 1, 2, 3, 31, 30, 8, 255]);
        assert_eq!(r, "FH-ABCD-98J9");
        assert!(!r.contains('O') && !r.contains('I'));
    }
}
