//! Partner feeds: what each kind of dataset holds, under what lawful basis, and how one row of
//! its CSV is read into a typed [`PartnerRow`] or a reason it cannot be.

use chrono::NaiveDate;
use std::collections::HashMap;

/// The kinds of partner data a partnership shares for early identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    /// Attendance and exclusions, in the school census's shape (UPN, term, sessions).
    SchoolCensus,
    /// Police notifications: domestic abuse, missing episodes, anti-social behaviour.
    PoliceNotifications,
    /// Rent arrears, homelessness, temporary accommodation.
    Housing,
    /// Health visiting contacts.
    HealthVisiting,
    /// Benefits and worklessness (DWP).
    Benefits,
    /// Youth justice outcomes.
    YouthJustice,
}

impl FeedKind {
    pub const ALL: [FeedKind; 6] = [
        FeedKind::SchoolCensus,
        FeedKind::PoliceNotifications,
        FeedKind::Housing,
        FeedKind::HealthVisiting,
        FeedKind::Benefits,
        FeedKind::YouthJustice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FeedKind::SchoolCensus => "school_census",
            FeedKind::PoliceNotifications => "police_notifications",
            FeedKind::Housing => "housing",
            FeedKind::HealthVisiting => "health_visiting",
            FeedKind::Benefits => "benefits",
            FeedKind::YouthJustice => "youth_justice",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedKind::SchoolCensus => "School attendance and exclusions",
            FeedKind::PoliceNotifications => "Police notifications",
            FeedKind::Housing => "Housing",
            FeedKind::HealthVisiting => "Health visiting contacts",
            FeedKind::Benefits => "Benefits and worklessness",
            FeedKind::YouthJustice => "Youth justice",
        }
    }

    /// The events a row of this kind of feed may record.
    pub fn events(self) -> &'static [EventKind] {
        use EventKind::*;
        match self {
            FeedKind::SchoolCensus => &[Attendance, Exclusion],
            FeedKind::PoliceNotifications => &[DomesticAbuse, MissingEpisode, AntiSocialBehaviour],
            FeedKind::Housing => &[RentArrears, Homelessness, TemporaryAccommodation],
            FeedKind::HealthVisiting => &[HealthVisitingContact],
            FeedKind::Benefits => &[Worklessness],
            FeedKind::YouthJustice => &[YouthJusticeOutcome],
        }
    }
}

/// One thing a partner's row says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A term's attendance, with the share of sessions attended.
    Attendance,
    Exclusion,
    DomesticAbuse,
    MissingEpisode,
    AntiSocialBehaviour,
    RentArrears,
    Homelessness,
    TemporaryAccommodation,
    HealthVisitingContact,
    Worklessness,
    YouthJusticeOutcome,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::Attendance,
        EventKind::Exclusion,
        EventKind::DomesticAbuse,
        EventKind::MissingEpisode,
        EventKind::AntiSocialBehaviour,
        EventKind::RentArrears,
        EventKind::Homelessness,
        EventKind::TemporaryAccommodation,
        EventKind::HealthVisitingContact,
        EventKind::Worklessness,
        EventKind::YouthJusticeOutcome,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Attendance => "attendance",
            EventKind::Exclusion => "exclusion",
            EventKind::DomesticAbuse => "domestic_abuse",
            EventKind::MissingEpisode => "missing_episode",
            EventKind::AntiSocialBehaviour => "anti_social_behaviour",
            EventKind::RentArrears => "rent_arrears",
            EventKind::Homelessness => "homelessness",
            EventKind::TemporaryAccommodation => "temporary_accommodation",
            EventKind::HealthVisitingContact => "health_visiting_contact",
            EventKind::Worklessness => "worklessness",
            EventKind::YouthJusticeOutcome => "youth_justice_outcome",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Attendance => "Term's attendance",
            EventKind::Exclusion => "Exclusion",
            EventKind::DomesticAbuse => "Domestic abuse notification",
            EventKind::MissingEpisode => "Missing episode",
            EventKind::AntiSocialBehaviour => "Anti-social behaviour",
            EventKind::RentArrears => "Rent arrears",
            EventKind::Homelessness => "Homelessness",
            EventKind::TemporaryAccommodation => "Temporary accommodation",
            EventKind::HealthVisitingContact => "Health visiting contact",
            EventKind::Worklessness => "Worklessness",
            EventKind::YouthJusticeOutcome => "Youth justice outcome",
        }
    }
}

/// The legal ground a partner shares on (UK GDPR Article 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LawfulBasis {
    PublicTask,
    LegalObligation,
    VitalInterests,
    Consent,
}

impl LawfulBasis {
    pub const ALL: [LawfulBasis; 4] = [
        LawfulBasis::PublicTask,
        LawfulBasis::LegalObligation,
        LawfulBasis::VitalInterests,
        LawfulBasis::Consent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LawfulBasis::PublicTask => "public_task",
            LawfulBasis::LegalObligation => "legal_obligation",
            LawfulBasis::VitalInterests => "vital_interests",
            LawfulBasis::Consent => "consent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            LawfulBasis::PublicTask => "Public task (Article 6(1)(e))",
            LawfulBasis::LegalObligation => "Legal obligation (Article 6(1)(c))",
            LawfulBasis::VitalInterests => "Vital interests (Article 6(1)(d))",
            LawfulBasis::Consent => "Consent (Article 6(1)(a))",
        }
    }
}

/// The columns every feed's CSV has, whatever its kind; `upn`, `nhs_number` and `attendance`
/// may be added.
pub const COLUMNS: [&str; 7] = [
    "reference",
    "given_names",
    "family_name",
    "dob",
    "postcode",
    "event",
    "date",
];

/// One row of a partner's file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRow {
    /// The partner's own reference for the row, so a question can be asked back about it.
    pub reference: String,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub postcode: String,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub event: EventKind,
    pub on: NaiveDate,
    /// Attendance in tenths of a per cent (903 is 90.3%); only for attendance rows.
    pub attendance: Option<u32>,
}

/// The columns a header lacks, if any.
pub fn missing_columns(header: &[&str]) -> Vec<&'static str> {
    COLUMNS
        .into_iter()
        .filter(|c| !header.iter().any(|h| h.trim().eq_ignore_ascii_case(c)))
        .collect()
}

/// A date as partners write them: 2025-03-14 or 14/03/2025.
pub fn read_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// Reads one row (its values by column name) of a `kind` feed, or says what is wrong with it
/// in words the partner can act on. Rows dated after `today` are refused: a notification from
/// the future is a typing mistake.
pub fn read_row(
    kind: FeedKind,
    row: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<PartnerRow, String> {
    let get = |c: &str| row.get(c).map(|v| v.trim()).unwrap_or("");
    let filled = |c: &str| Some(get(c).to_string()).filter(|v| !v.is_empty());
    let reference = get("reference");
    if reference.is_empty() {
        return Err("reference is empty".into());
    }
    let (given_names, family_name) = (get("given_names"), get("family_name"));
    if given_names.is_empty() || family_name.is_empty() {
        return Err("given_names and family_name are both needed".into());
    }
    let dob = match get("dob") {
        "" => None,
        d => Some(read_date(d).ok_or_else(|| format!("dob '{d}' is not a date like 2015-03-14"))?),
    };
    let code = get("event");
    let event = EventKind::from_code(code)
        .filter(|e| kind.events().contains(e))
        .ok_or_else(|| {
            let allowed: Vec<&str> = kind.events().iter().map(|e| e.code()).collect();
            format!(
                "event '{code}' is not one of {} for {}",
                allowed.join(", "),
                kind.label().to_lowercase()
            )
        })?;
    let on = read_date(get("date"))
        .ok_or_else(|| format!("date '{}' is not a date like 2025-03-14", get("date")))?;
    if on > today {
        return Err(format!("date {on} is in the future"));
    }
    if dob.is_some_and(|d| d > on) {
        return Err("dob is after the date of the event".into());
    }
    let attendance = match (event, get("attendance")) {
        (EventKind::Attendance, a) => Some(
            read_percent(a)
                .ok_or_else(|| format!("attendance '{a}' is not a percentage from 0 to 100"))?,
        ),
        _ => None,
    };
    Ok(PartnerRow {
        reference: reference.to_string(),
        given_names: given_names.to_string(),
        family_name: family_name.to_string(),
        dob,
        postcode: get("postcode").to_uppercase(),
        upn: filled("upn"),
        nhs_number: filled("nhs_number").map(|n| n.replace(' ', "")),
        event,
        on,
        attendance,
    })
}

/// "92.5", "92.5%" or "92" as tenths of a per cent, from 0 to 100%.
fn read_percent(s: &str) -> Option<u32> {
    let v: f64 = s.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0)
        .contains(&v)
        .then(|| (v * 10.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        let mut r: HashMap<String, String> = [
            ("reference", "R1"),
            ("given_names", "Mia"),
            ("family_name", "Okafor"),
            ("dob", "2015-03-14"),
            ("postcode", "ng7 2rd"),
            ("event", "attendance"),
            ("date", "2025-07-18"),
            ("attendance", "87.5%"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in pairs {
            r.insert(k.to_string(), v.to_string());
        }
        r
    }

    /// A feed, the changes to a good row, and the event read or the start of the reason.
    type Case<'a> = (FeedKind, &'a [(&'a str, &'a str)], Result<&'a str, &'a str>);

    #[test]
    fn rows_are_read_or_refused_with_their_reason() {
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let cases: &[Case] = &[
            (FeedKind::SchoolCensus, &[], Ok("attendance")),
            (
                FeedKind::SchoolCensus,
                &[("date", "18/07/2025")],
                Ok("attendance"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("reference", " ")],
                Err("reference is empty"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("family_name", "")],
                Err("given_names and family_name"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("dob", "14th March")],
                Err("dob '14th March'"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("attendance", "103")],
                Err("attendance '103'"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("attendance", "")],
                Err("attendance ''"),
            ),
            (
                FeedKind::SchoolCensus,
                &[("event", "domestic_abuse")],
                Err("event 'domestic_abuse' is not one of attendance, exclusion"),
            ),
            (
                FeedKind::PoliceNotifications,
                &[("event", "domestic_abuse"), ("attendance", "")],
                Ok("domestic_abuse"),
            ),
            (
                FeedKind::PoliceNotifications,
                &[("event", "missing_episode"), ("date", "2026-01-01")],
                Err("is in the future"),
            ),
            (
                FeedKind::Housing,
                &[("event", "temporary_accommodation"), ("dob", "")],
                Ok("temporary_accommodation"),
            ),
            (
                FeedKind::Housing,
                &[("event", "rent_arrears"), ("dob", "2025-08-01")],
                Err("dob is after"),
            ),
        ];
        for (kind, changes, want) in cases {
            let got = read_row(*kind, &row(changes), today);
            match (want, &got) {
                (Ok(event), Ok(r)) => assert_eq!(r.event.code(), *event, "{changes:?}"),
                (Err(why), Err(e)) => assert!(e.contains(why), "{changes:?}: {e}"),
                _ => panic!("{changes:?}: wanted {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn attendance_is_kept_in_tenths_and_postcodes_in_capitals() {
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        let r = read_row(FeedKind::SchoolCensus, &row(&[]), today);
        assert_eq!(r.as_ref().map(|r| r.attendance), Ok(Some(875)));
        assert_eq!(r.map(|r| r.postcode), Ok("NG7 2RD".to_string()));
    }

    #[test]
    fn a_header_says_which_columns_it_lacks() {
        assert_eq!(
            missing_columns(&["reference", "Given_Names", "family_name", "dob", "event"]),
            vec!["postcode", "date"]
        );
    }

    #[test]
    fn codes_read_back() {
        for k in FeedKind::ALL {
            assert_eq!(FeedKind::from_code(k.code()), Some(k));
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::from_code(e.code()), Some(e));
        }
        for b in LawfulBasis::ALL {
            assert_eq!(LawfulBasis::from_code(b.code()), Some(b));
        }
    }
}
