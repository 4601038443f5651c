//! Indicators: configuration that says which partner events, how many, how low and how recent,
//! point to which Supporting Families headline needs and which level of the Continuum of Need.
//! The partnership's data lead words its own in a page (kept as versions: ADR 0057); [`standard`]
//! is the set issue 19 names, the first version of each. [`read`] checks a typed indicator and
//! [`assess`] says which indicators a person's events meet: both pure, with table tests.

use super::feed::{EventKind, FeedKind};
use crate::continuum::ContinuumLevel;
use crate::input::{required_text, FieldErrors};
use crate::need::NeedDomain;
use chrono::{Months, NaiveDate};

/// A value a partner's row carries that a rule can compare with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A term's attendance, in tenths of a per cent.
    Attendance,
}

impl Field {
    pub const ALL: [Field; 1] = [Field::Attendance];

    pub fn code(self) -> &'static str {
        match self {
            Field::Attendance => "attendance",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Attendance => "Attendance (%)",
        }
    }

    /// The event whose rows carry this value.
    pub fn event(self) -> EventKind {
        match self {
            Field::Attendance => EventKind::Attendance,
        }
    }
}

/// When an indicator is met by the events of one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Any such event within the last `months`.
    Presence { months: u32 },
    /// At least `count` events within the last `months`.
    AtLeast { count: usize, months: u32 },
    /// A `field` below `tenths` (tenths of a per cent) within the last `months`.
    Below {
        field: Field,
        tenths: u32,
        months: u32,
    },
}

impl Rule {
    /// The rule's kind, as the form's radios and the store name it.
    pub fn kind(self) -> &'static str {
        match self {
            Rule::Presence { .. } => "presence",
            Rule::AtLeast { .. } => "at_least",
            Rule::Below { .. } => "below",
        }
    }

    pub fn months(self) -> u32 {
        match self {
            Rule::Presence { months }
            | Rule::AtLeast { months, .. }
            | Rule::Below { months, .. } => months,
        }
    }

    /// The rule in words, about `event`: "At least 2 of: Domestic abuse notification, within
    /// 12 months".
    pub fn describe(self, event: EventKind) -> String {
        let within = match self.months() {
            1 => "within 1 month".to_string(),
            m => format!("within {m} months"),
        };
        match self {
            Rule::Presence { .. } => format!("Any {}, {within}", event.label().to_lowercase()),
            Rule::AtLeast { count, .. } => format!(
                "At least {count} of: {}, {within}",
                event.label().to_lowercase()
            ),
            Rule::Below { field, tenths, .. } => format!(
                "{} below {}, {within}",
                field.label().trim_end_matches(" (%)"),
                percent(tenths)
            ),
        }
    }
}

/// Tenths of a per cent in words: 900 is "90%", 875 is "87.5%".
pub fn percent(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// One version of an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable code, kept across versions.
    pub code: String,
    /// 1 for the first; each change makes the next.
    pub version: u32,
    /// What the worklist says, in plain words.
    pub label: String,
    /// The kind of partner dataset it reads (every registered dataset of that kind).
    pub feed: FeedKind,
    pub event: EventKind,
    pub rule: Rule,
    /// The Supporting Families headline needs it points to; at least one.
    pub needs: Vec<NeedDomain>,
    /// The levels of the Continuum of Need whose indicators for those needs it stands for.
    pub levels: Vec<ContinuumLevel>,
}

impl Indicator {
    /// Whether `other` says the same thing (everything but the version).
    pub fn same_as(&self, other: &Indicator) -> bool {
        Indicator {
            version: other.version,
            ..self.clone()
        } == *other
    }

    /// The indicator and its version in words, as the worklist names what fired.
    pub fn named(&self) -> String {
        format!(
            "{} (indicator {}, version {})",
            self.label, self.code, self.version
        )
    }
}

#[allow(clippy::too_many_arguments)] // the standard set reads best as one call a line
fn indicator(
    code: &str,
    label: &str,
    feed: FeedKind,
    event: EventKind,
    rule: Rule,
    needs: &[NeedDomain],
    levels: &[ContinuumLevel],
) -> Indicator {
    Indicator {
        code: code.into(),
        version: 1,
        label: label.into(),
        feed,
        event,
        rule,
        needs: needs.to_vec(),
        levels: levels.to_vec(),
    }
}

/// The indicators issue 19 names, each mapped to its headline need and the Continuum level
/// whose words fit it; migration 0075 stores them as every indicator's first version.
pub fn standard() -> Vec<Indicator> {
    use ContinuumLevel::{EarlyFamilyHelp, TargetedFamilyHelp};
    use EventKind as E;
    use FeedKind as F;
    vec![
        indicator(
            "attendance_under_90",
            "Attendance under 90% in a term",
            F::SchoolCensus,
            E::Attendance,
            Rule::Below {
                field: Field::Attendance,
                tenths: 900,
                months: 12,
            },
            &[NeedDomain::GoodEducation],
            &[EarlyFamilyHelp],
        ),
        indicator(
            "exclusion",
            "An exclusion from school",
            F::SchoolCensus,
            E::Exclusion,
            Rule::Presence { months: 12 },
            &[NeedDomain::GoodEducation],
            &[TargetedFamilyHelp],
        ),
        indicator(
            "domestic_abuse_twice",
            "Two or more domestic abuse notifications in 12 months",
            F::PoliceNotifications,
            E::DomesticAbuse,
            Rule::AtLeast {
                count: 2,
                months: 12,
            },
            &[NeedDomain::DomesticAbuse],
            &[TargetedFamilyHelp],
        ),
        indicator(
            "missing_episode",
            "A missing episode",
            F::PoliceNotifications,
            E::MissingEpisode,
            Rule::Presence { months: 12 },
            &[NeedDomain::SafeFromAbuseAndExploitation],
            &[TargetedFamilyHelp],
        ),
        indicator(
            "temporary_accommodation",
            "In temporary accommodation",
            F::Housing,
            E::TemporaryAccommodation,
            Rule::Presence { months: 12 },
            &[NeedDomain::SecureHousing],
            &[TargetedFamilyHelp],
        ),
    ]
}

/// An indicator as typed in the page, every value as text (checkboxes as lists).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub feed: String,
    #[serde(default)]
    pub event: String,
    /// `presence`, `at_least` or `below`.
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub field: String,
    /// The percentage a value must be below, like 90 or 87.5.
    #[serde(default)]
    pub threshold: String,
    #[serde(default)]
    pub months: String,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub levels: Vec<String>,
    /// The version the change was made from (empty for a new indicator), so that a change
    /// made meanwhile by someone else is not overwritten unseen.
    #[serde(default)]
    pub from_version: String,
}

impl IndicatorForm {
    /// The form filled in with `i`, to change it.
    pub fn of(i: &Indicator) -> Self {
        let (count, field, threshold) = match i.rule {
            Rule::Presence { .. } => (String::new(), String::new(), String::new()),
            Rule::AtLeast { count, .. } => (count.to_string(), String::new(), String::new()),
            Rule::Below { field, tenths, .. } => (
                String::new(),
                field.code().to_string(),
                percent(tenths).trim_end_matches('%').to_string(),
            ),
        };
        IndicatorForm {
            code: i.code.clone(),
            label: i.label.clone(),
            feed: i.feed.code().into(),
            event: i.event.code().into(),
            rule: i.rule.kind().into(),
            count,
            field,
            threshold,
            months: i.rule.months().to_string(),
            needs: i.needs.iter().map(|n| n.code().to_string()).collect(),
            levels: i.levels.iter().map(|l| l.number().to_string()).collect(),
            from_version: i.version.to_string(),
        }
    }
}

/// The longest window an indicator may look back over, in months.
pub const MONTHS_MAX: u32 = 60;
/// The most events a count may ask for.
pub const COUNT_MAX: usize = 50;

/// Reads a typed indicator (its version left at 0 for the store to number), or says what to
/// fix in each field, in the page's words.
pub fn read(form: &IndicatorForm) -> Result<Indicator, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = required_text(
        &mut e,
        "code",
        "a short code, like attendance_under_90",
        &form.code,
        40,
    )
    .to_lowercase();
    if !code.is_empty()
        && !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        e.add(
            "code",
            "Code must be letters, digits or _ only, like attendance_under_90",
        );
    }
    let label = required_text(
        &mut e,
        "label",
        "what the worklist says, like Attendance under 90% in a term",
        &form.label,
        200,
    );
    let feed = FeedKind::from_code(&form.feed);
    if feed.is_none() {
        e.add("feed", "Choose the kind of data the indicator reads");
    }
    let event = EventKind::from_code(&form.event);
    match (feed, event) {
        (_, None) => e.add("event", "Choose the event the indicator counts"),
        (Some(f), Some(ev)) if !f.events().contains(&ev) => {
            let allowed: Vec<&str> = f.events().iter().map(|e| e.label()).collect();
            e.add(
                "event",
                format!(
                    "{} is not in {}; choose one of: {}",
                    ev.label(),
                    f.label().to_lowercase(),
                    allowed.join(", ")
                ),
            )
        }
        _ => {}
    }
    let months = whole(&form.months).filter(|m| (1..=MONTHS_MAX as usize).contains(m));
    if months.is_none() {
        e.add(
            "months",
            format!("Enter how many months back it looks, a whole number from 1 to {MONTHS_MAX}"),
        );
    }
    let months = months.unwrap_or(0) as u32;
    let rule = match form.rule.trim() {
        "presence" => Some(Rule::Presence { months }),
        "at_least" => {
            let count = whole(&form.count).filter(|c| (1..=COUNT_MAX).contains(c));
            if count.is_none() {
                e.add(
                    "count",
                    format!("Enter how many events it needs, a whole number from 1 to {COUNT_MAX}"),
                );
            }
            count.map(|count| Rule::AtLeast { count, months })
        }
        "below" => {
            let field = Field::from_code(&form.field);
            match (field, event) {
                (None, _) => e.add("field", "Choose the value it compares"),
                (Some(f), Some(ev)) if f.event() != ev => e.add(
                    "field",
                    format!(
                        "Only {} rows carry {}; choose that event, or a rule that counts events",
                        f.event().label().to_lowercase(),
                        f.label().to_lowercase()
                    ),
                ),
                _ => {}
            }
            let tenths = read_threshold(&form.threshold);
            if tenths.is_none() {
                e.add(
                    "threshold",
                    "Enter the percentage it must be below, from 0.1 to 100, like 90",
                );
            }
            field.zip(tenths).map(|(field, tenths)| Rule::Below {
                field,
                tenths,
                months,
            })
        }
        _ => {
            e.add("rule", "Choose when the indicator is met");
            None
        }
    };
    let needs: Vec<NeedDomain> = NeedDomain::ALL
        .into_iter()
        .filter(|n| form.needs.iter().any(|c| c.trim() == n.code()))
        .collect();
    if needs.is_empty() || needs.len() != distinct(&form.needs) {
        e.add(
            "needs",
            "Choose at least one Supporting Families headline need",
        );
    }
    let levels: Vec<ContinuumLevel> = ContinuumLevel::ALL
        .into_iter()
        .filter(|l| {
            form.levels
                .iter()
                .any(|c| c.trim() == l.number().to_string())
        })
        .collect();
    if levels.is_empty() || levels.len() != distinct(&form.levels) {
        e.add(
            "levels",
            "Choose at least one level of the Continuum of Need",
        );
    }
    match (feed, event, rule) {
        (Some(feed), Some(event), Some(rule)) if e.is_empty() => Ok(Indicator {
            code,
            version: 0,
            label,
            feed,
            event,
            rule,
            needs,
            levels,
        }),
        _ => Err(e),
    }
}

fn whole(s: &str) -> Option<usize> {
    s.trim().parse().ok()
}

/// How many different values were ticked (a value sent twice counts once).
fn distinct(values: &[String]) -> usize {
    let mut v: Vec<&str> = values.iter().map(|s| s.trim()).collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

/// "90", "87.5" or "87.5%" as tenths of a per cent, above 0 and up to 100%.
fn read_threshold(s: &str) -> Option<u32> {
    let v: f64 = s.trim().trim_end_matches('%').trim().parse().ok()?;
    (v > 0.0 && v <= 100.0).then(|| (v * 10.0).round() as u32)
}

/// One partner event about a person, with `S` saying where it came from (the app's row id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<S> {
    pub event: EventKind,
    pub on: NaiveDate,
    pub attendance: Option<u32>,
    pub source: S,
}

/// An indicator met, with the facts that meet it (the reasons shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Met<'a, S> {
    pub indicator: &'a Indicator,
    pub evidence: Vec<&'a Fact<S>>,
}

/// The indicators met by one person's `facts` on `today`, in the configuration's order.
pub fn assess<'a, S>(
    indicators: &'a [Indicator],
    facts: &'a [Fact<S>],
    today: NaiveDate,
) -> Vec<Met<'a, S>> {
    indicators
        .iter()
        .filter_map(|i| {
            let since = today
                .checked_sub_months(Months::new(i.rule.months()))
                .unwrap_or(today);
            let recent = facts
                .iter()
                .filter(|f| f.event == i.event && f.on <= today && f.on > since);
            let (evidence, met): (Vec<&Fact<S>>, bool) = match i.rule {
                Rule::Presence { .. } => {
                    let e: Vec<_> = recent.collect();
                    let met = !e.is_empty();
                    (e, met)
                }
                Rule::AtLeast { count, .. } => {
                    let e: Vec<_> = recent.collect();
                    let met = count > 0 && e.len() >= count;
                    (e, met)
                }
                Rule::Below { field, tenths, .. } => {
                    let e: Vec<_> = recent
                        .filter(|f| match field {
                            Field::Attendance => f.attendance.is_some_and(|a| a < tenths),
                        })
                        .collect();
                    let met = !e.is_empty();
                    (e, met)
                }
            };
            met.then_some(Met {
                indicator: i,
                evidence,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn fact(event: EventKind, on: &str, attendance: Option<u32>) -> Fact<u32> {
        Fact {
            event,
            on: d(on),
            attendance,
            source: 0,
        }
    }

    /// What the case is, the facts, and the indicators met.
    type Case<'a> = (&'a str, Vec<Fact<u32>>, &'a [&'a str]);

    #[test]
    fn each_standard_indicator_is_met_or_not_as_its_rule_says() {
        use EventKind::*;
        let today = d("2025-09-01");
        let cases: &[Case] = &[
            ("nothing", vec![], &[]),
            (
                "a poor term",
                vec![fact(Attendance, "2025-07-18", Some(899))],
                &["attendance_under_90"],
            ),
            (
                "exactly 90% is not under",
                vec![fact(Attendance, "2025-07-18", Some(900))],
                &[],
            ),
            (
                "a poor term too long ago",
                vec![fact(Attendance, "2024-07-18", Some(700))],
                &[],
            ),
            (
                "one DA notification",
                vec![fact(DomesticAbuse, "2025-05-01", None)],
                &[],
            ),
            (
                "two DA notifications in 12 months",
                vec![
                    fact(DomesticAbuse, "2025-05-01", None),
                    fact(DomesticAbuse, "2024-10-01", None),
                ],
                &["domestic_abuse_twice"],
            ),
            (
                "two DA notifications 13 months apart",
                vec![
                    fact(DomesticAbuse, "2025-05-01", None),
                    fact(DomesticAbuse, "2024-08-01", None),
                ],
                &[],
            ),
            (
                "a missing episode",
                vec![fact(MissingEpisode, "2025-08-30", None)],
                &["missing_episode"],
            ),
            (
                "temporary accommodation",
                vec![fact(TemporaryAccommodation, "2025-01-10", None)],
                &["temporary_accommodation"],
            ),
            (
                "an exclusion",
                vec![fact(Exclusion, "2025-03-03", None)],
                &["exclusion"],
            ),
            (
                "rent arrears alone point nowhere",
                vec![fact(RentArrears, "2025-03-03", None)],
                &[],
            ),
            (
                "an event after today is ignored",
                vec![fact(MissingEpisode, "2025-09-02", None)],
                &[],
            ),
        ];
        let indicators = standard();
        for (what, facts, want) in cases {
            let got: Vec<&str> = assess(&indicators, facts, today)
                .iter()
                .map(|m| m.indicator.code.as_str())
                .collect();
            assert_eq!(&got, want, "{what}");
        }
    }

    #[test]
    fn a_partnerships_own_rules_are_met_as_they_say() {
        use EventKind::*;
        let today = d("2025-09-01");
        let own = |rule: Rule, event: EventKind| Indicator {
            code: "own".into(),
            version: 3,
            label: "Own".into(),
            feed: FeedKind::Housing,
            event,
            rule,
            needs: vec![NeedDomain::SecureHousing],
            levels: vec![ContinuumLevel::EarlyFamilyHelp],
        };
        // What the case is, the indicator, the facts, and whether it is met.
        let cases: Vec<(&str, Indicator, Vec<Fact<u32>>, bool)> = vec![
            (
                "arrears within 3 months",
                own(Rule::Presence { months: 3 }, RentArrears),
                vec![fact(RentArrears, "2025-06-02", None)],
                true,
            ),
            (
                "arrears exactly 3 months ago",
                own(Rule::Presence { months: 3 }, RentArrears),
                vec![fact(RentArrears, "2025-06-01", None)],
                false,
            ),
            (
                "three arrears, three asked",
                own(
                    Rule::AtLeast {
                        count: 3,
                        months: 24,
                    },
                    RentArrears,
                ),
                vec![
                    fact(RentArrears, "2024-01-02", None),
                    fact(RentArrears, "2025-01-02", None),
                    fact(RentArrears, "2025-08-02", None),
                ],
                true,
            ),
            (
                "two arrears, three asked",
                own(
                    Rule::AtLeast {
                        count: 3,
                        months: 24,
                    },
                    RentArrears,
                ),
                vec![
                    fact(RentArrears, "2025-01-02", None),
                    fact(RentArrears, "2025-08-02", None),
                ],
                false,
            ),
            (
                "another event does not count",
                own(Rule::Presence { months: 12 }, Homelessness),
                vec![fact(RentArrears, "2025-08-02", None)],
                false,
            ),
            (
                "attendance under a raised threshold",
                own(
                    Rule::Below {
                        field: Field::Attendance,
                        tenths: 950,
                        months: 12,
                    },
                    Attendance,
                ),
                vec![fact(Attendance, "2025-07-18", Some(930))],
                true,
            ),
            (
                "attendance at the threshold",
                own(
                    Rule::Below {
                        field: Field::Attendance,
                        tenths: 930,
                        months: 12,
                    },
                    Attendance,
                ),
                vec![fact(Attendance, "2025-07-18", Some(930))],
                false,
            ),
        ];
        for (what, indicator, facts, want) in cases {
            let list = [indicator];
            assert_eq!(!assess(&list, &facts, today).is_empty(), want, "{what}");
        }
    }

    #[test]
    fn the_evidence_is_the_facts_that_meet_the_rule() {
        let indicators = standard();
        let facts = vec![
            Fact {
                event: EventKind::Attendance,
                on: d("2025-07-18"),
                attendance: Some(950),
                source: 1,
            },
            Fact {
                event: EventKind::Attendance,
                on: d("2025-04-04"),
                attendance: Some(850),
                source: 2,
            },
        ];
        let met = assess(&indicators, &facts, d("2025-09-01"));
        assert_eq!(met.len(), 1);
        let sources: Vec<u32> = met[0].evidence.iter().map(|f| f.source).collect();
        assert_eq!(sources, vec![2]);
    }

    #[test]
    fn every_standard_indicator_reads_back_from_its_own_form() {
        for i in standard() {
            let again = read(&IndicatorForm::of(&i));
            assert_eq!(again.map(|a| a.same_as(&i)), Ok(true), "{}", i.code);
            assert!(!i.needs.is_empty() && !i.levels.is_empty(), "{}", i.code);
            assert!(i.feed.events().contains(&i.event), "{}", i.code);
        }
    }

    fn good() -> IndicatorForm {
        IndicatorForm {
            code: "rent_arrears_twice".into(),
            label: "Rent arrears twice in a year".into(),
            feed: "housing".into(),
            event: "rent_arrears".into(),
            rule: "at_least".into(),
            count: "2".into(),
            months: "12".into(),
            needs: vec!["housing".into(), "financial".into()],
            levels: vec!["2".into()],
            ..IndicatorForm::default()
        }
    }

    /// Sets one field of a form as typed; lists are comma-separated.
    fn set(f: &mut IndicatorForm, field: &str, value: &str) {
        let list = || {
            value
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        match field {
            "code" => f.code = value.into(),
            "label" => f.label = value.into(),
            "feed" => f.feed = value.into(),
            "event" => f.event = value.into(),
            "rule" => f.rule = value.into(),
            "count" => f.count = value.into(),
            "field" => f.field = value.into(),
            "threshold" => f.threshold = value.into(),
            "months" => f.months = value.into(),
            "needs" => f.needs = list(),
            "levels" => f.levels = list(),
            _ => panic!("no field {field}"),
        }
    }

    /// What the case is, the changes to a good form, and the field refused with the start of
    /// its message (or none when it reads).
    type FormCase<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        Option<(&'a str, &'a str)>,
    );

    #[test]
    fn a_typed_indicator_is_read_or_each_field_says_what_to_fix() {
        let attendance: &[(&'static str, &'static str)] = &[
            ("feed", "school_census"),
            ("event", "attendance"),
            ("rule", "below"),
            ("field", "attendance"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
            attendance.iter().chain(extra).copied().collect()
        };
        let below_ok = with(&[("threshold", "92.5%")]);
        let below_over = with(&[("threshold", "101")]);
        let cases: &[FormCase] = &[
            ("good", &[], None),
            ("presence needs no count", &[("rule", "presence"), ("count", "")], None),
            ("below on attendance", below_ok.as_slice(), None),
            ("no code", &[("code", " ")], Some(("code", "Enter a short code"))),
            ("a code with spaces", &[("code", "rent arrears")], Some(("code", "Code must be letters"))),
            ("no label", &[("label", "")], Some(("label", "Enter what the worklist says"))),
            ("no kind of data", &[("feed", "gossip")], Some(("feed", "Choose the kind of data"))),
            ("an event of another feed", &[("event", "domestic_abuse")], Some(("event", "Domestic abuse notification is not in housing; choose one of: Rent arrears, Homelessness, Temporary accommodation"))),
            ("no rule", &[("rule", "")], Some(("rule", "Choose when"))),
            ("a count of none", &[("count", "0")], Some(("count", "Enter how many events"))),
            ("a count in words", &[("count", "two")], Some(("count", "Enter how many events"))),
            ("a window too long", &[("months", "61")], Some(("months", "Enter how many months back it looks, a whole number from 1 to 60"))),
            ("no window", &[("months", "")], Some(("months", "Enter how many months"))),
            ("below on arrears", &[("rule", "below"), ("field", "attendance"), ("threshold", "90")], Some(("field", "Only term's attendance rows carry attendance (%)"))),
            ("below without a value", &[("feed", "school_census"), ("event", "attendance"), ("rule", "below"), ("threshold", "90")], Some(("field", "Choose the value"))),
            ("a threshold over 100", below_over.as_slice(), Some(("threshold", "Enter the percentage"))),
            ("no need", &[("needs", "")], Some(("needs", "Choose at least one Supporting Families"))),
            ("a need that is not one", &[("needs", "housing,luck")], Some(("needs", "Choose at least one"))),
            ("no level", &[("levels", "")], Some(("levels", "Choose at least one level"))),
            ("a level 5", &[("levels", "5")], Some(("levels", "Choose at least one level"))),
        ];
        for &(what, changes, want) in cases {
            let mut f = good();
            for (field, value) in changes {
                set(&mut f, field, value);
            }
            match (read(&f), want) {
                (Ok(_), None) => {}
                (Err(e), Some((field, start))) => {
                    let got = e.get(field).unwrap_or_default();
                    assert!(got.starts_with(start), "{what}: {field}: {got}");
                }
                (got, want) => panic!("{what}: wanted {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn a_read_indicator_keeps_what_was_typed() {
        let i = read(&good()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            i.rule,
            Rule::AtLeast {
                count: 2,
                months: 12
            }
        );
        assert_eq!(
            i.needs,
            vec![NeedDomain::SecureHousing, NeedDomain::FinancialStability]
        );
        assert_eq!(i.levels, vec![ContinuumLevel::EarlyFamilyHelp]);
        assert_eq!(
            i.rule.describe(i.event),
            "At least 2 of: rent arrears, within 12 months"
        );
        let below = Rule::Below {
            field: Field::Attendance,
            tenths: 875,
            months: 1,
        };
        assert_eq!(
            below.describe(EventKind::Attendance),
            "Attendance below 87.5%, within 1 month"
        );
    }
}
