//! Returns: the person-level lists an inspection or a regional dataset asks a partnership
//! for, worked out from the record: Ofsted's Annex A lists for early help
//! ([`annex_a`]) and the early-help tables of Data to Insight's Standard Safeguarding Dataset
//! ([`ssd`]). The rules here are pure; the rows come through the gate.

pub mod annex_a;
pub mod ssd;

use crate::episode::{ClosureReason, EpisodeLevel};
use crate::ids::{EpisodeId, PersonId, RequestId, UserId};
use crate::need::NeedDomain;
use crate::organisation::OrganisationKind;
use crate::person::{Age, DateOfBirth, DobCertainty, Ethnicity, Sex};
use chrono::NaiveDate;

/// A person as the returns describe them: no names, no contact details.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub id: PersonId,
    pub sex: Option<Sex>,
    pub ethnicity: Option<Ethnicity>,
    pub dob: Option<DateOfBirth>,
    pub nhs_number: Option<String>,
}

/// What the front door decided about a request, as a contact's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOutcome {
    Signposted,
    EarlyHelp,
    Targeted,
    SteppedUp,
    NoFurtherAction,
}

impl ContactOutcome {
    /// From the code a decision is stored with ([`crate::routing::Outcome::code`]).
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "signpost" => ContactOutcome::Signposted,
            "early_help" => ContactOutcome::EarlyHelp,
            "targeted" => ContactOutcome::Targeted,
            "step_up" => ContactOutcome::SteppedUp,
            "no_further_action" => ContactOutcome::NoFurtherAction,
            _ => return None,
        })
    }
}

/// A request for support about one person: a contact, in the returns' words.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub request: RequestId,
    pub subject: Subject,
    pub received_on: NaiveDate,
    pub source: OrganisationKind,
    pub source_name: String,
    /// Nothing while the request is undecided.
    pub outcome: Option<ContactOutcome>,
}

impl Contact {
    pub fn source_code(&self) -> &'static str {
        contact_source_code(self.source)
    }
}

/// An episode of Family Help for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyHelp {
    pub episode: EpisodeId,
    pub subject: Subject,
    pub level: EpisodeLevel,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub closure: Option<ClosureReason>,
    pub needs: Vec<NeedDomain>,
    /// The organisation of the team that holds the episode.
    pub organisation: Option<String>,
    pub lead: Option<UserId>,
}

impl EarlyHelp {
    /// Early help, as the lists count it: not an episode held in children's social care.
    pub fn is_early_help(&self) -> bool {
        self.level != EpisodeLevel::SocialCare
    }
}

/// A worker's or team's involvement with a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Involvement {
    pub id: String,
    pub person: PersonId,
    pub worker: Option<UserId>,
    pub role: String,
    pub team: Option<String>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub request: Option<RequestId>,
}

/// One value in a list: typed, so a spreadsheet shows dates as dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// As a CSV file writes it (dates as ISO 8601, `yyyy-mm-dd`, which no reader mistakes).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A list or table: a name for its sheet or file, a title, the columns and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub title: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// As CSV: its columns, then a line per row, each ended `\r\n`.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let mut line = |fields: Vec<String>| {
            let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        };
        line(self.columns.iter().map(|c| (*c).to_string()).collect());
        for row in &self.rows {
            line(row.iter().map(Cell::text).collect());
        }
        out
    }
}

/// One CSV field: quoted when it holds a comma, quote or line break; and a leading `=`, `+`,
/// `-` or `@` (which a spreadsheet would run as a formula) kept as text with a `'` first.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Which return is produced (what the gate records when it opens the records for one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    /// Ofsted's Annex A, lists 1 (contacts) and 2 (early help).
    AnnexA,
    /// The Standard Safeguarding Dataset's early-help tables.
    SafeguardingDataset,
    /// The nightly pseudonymised analytics extract (ADR 0038), shaped like the dataset.
    AnalyticsExtract,
    /// The DfE's children looked after return, SSDA903 (ADR 0053), for a collection year.
    Ssda903,
}

impl ReturnKind {
    pub fn code(self) -> &'static str {
        match self {
            ReturnKind::AnnexA => "annex_a",
            ReturnKind::SafeguardingDataset => "ssd",
            ReturnKind::AnalyticsExtract => "analytics_extract",
            ReturnKind::Ssda903 => "ssda903",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::AnnexA => "Ofsted Annex A (early help lists)",
            ReturnKind::SafeguardingDataset => "Standard Safeguarding Dataset (early help tables)",
            ReturnKind::AnalyticsExtract => "Pseudonymised analytics extract",
            ReturnKind::Ssda903 => "SSDA903: children looked after",
        }
    }
}

/// The days a return covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// A window, or what is wrong with it.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, &'static str> {
        if from > to {
            return Err("The start of the period must be on or before its end");
        }
        Ok(Window { from, to })
    }

    /// The six months up to and including `on`, as Annex A counts them ("in the six months
    /// before the inspection"): from the same day six months earlier.
    pub fn six_months_to(on: NaiveDate) -> Self {
        let from = on
            .checked_sub_months(chrono::Months::new(6))
            .unwrap_or(NaiveDate::MIN);
        Window { from, to: on }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether something that ran from `start` to `end` (open when `None`) was going on at
    /// any time in the window.
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.to && end.is_none_or(|end| end >= self.from)
    }
}

/// A person's date of birth as returns read it: the date and how sure it is.
pub fn date_of_birth(
    date: Option<NaiveDate>,
    certainty: Option<DobCertainty>,
) -> Option<DateOfBirth> {
    date.map(|date| DateOfBirth {
        date,
        certainty: certainty.unwrap_or(DobCertainty::Exact),
    })
}

/// Age in years at the last birthday on `on`, as the returns want it: `-1` for a child not
/// yet born, nothing when the date of birth is not known.
pub fn age_in_years(dob: Option<DateOfBirth>, on: NaiveDate) -> Option<i64> {
    dob.map(|d| match d.age_on(on) {
        Age::Unborn => -1,
        Age::Years(y) => i64::from(y),
    })
}

/// Whether a person is a child on `on` (under 18, or not yet born). Nothing when the date
/// of birth is not known: the returns leave such people out and say how many.
pub fn is_child(dob: Option<DateOfBirth>, on: NaiveDate) -> Option<bool> {
    age_in_years(dob, on).map(|age| age < 18)
}

/// Sex as the DfE's returns code it.
pub fn sex_code(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::Female) => "F",
        Some(Sex::Male) => "M",
        Some(Sex::NotKnown) | None => "U",
    }
}

/// Sex in words, as Annex A's gender column shows it.
pub fn sex_word(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::Female) => "Female",
        Some(Sex::Male) => "Male",
        Some(Sex::NotKnown) | None => "Unknown",
    }
}

/// The children in need census's referral source code for a request from this kind of
/// organisation (the code list Annex A and the SSD use for a contact's source).
pub fn contact_source_code(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::School => "2A",
        OrganisationKind::Health => "3F",
        OrganisationKind::Housing => "4",
        OrganisationKind::LocalAuthority => "5B",
        OrganisationKind::Police => "6",
        OrganisationKind::Dwp | OrganisationKind::VoluntaryCommunity | OrganisationKind::Other => {
            "8"
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn child(dob: &str) -> Subject {
        Subject {
            id: PersonId::new(),
            sex: Some(Sex::Female),
            ethnicity: Some(Ethnicity::Pakistani),
            dob: date_of_birth(dob.parse().ok(), None),
            nhs_number: Some("9434765919".into()),
        }
    }

    pub fn adult() -> Subject {
        child("1985-07-12")
    }

    pub fn no_dob() -> Subject {
        Subject {
            dob: None,
            ..child("2015-01-01")
        }
    }

    pub fn contact(subject: &Subject, received_on: NaiveDate) -> Contact {
        Contact {
            request: RequestId::new(),
            subject: subject.clone(),
            received_on,
            source: OrganisationKind::School,
            source_name: "Sycamore Primary".into(),
            outcome: Some(ContactOutcome::EarlyHelp),
        }
    }

    pub fn episode(
        subject: &Subject,
        started_on: NaiveDate,
        ended_on: Option<NaiveDate>,
        level: EpisodeLevel,
    ) -> EarlyHelp {
        EarlyHelp {
            episode: EpisodeId::new(),
            subject: subject.clone(),
            level,
            started_on,
            ended_on,
            closure: ended_on.map(|_| ClosureReason::OutcomesMet),
            needs: vec![NeedDomain::Health],
            organisation: Some("Meadows Family Hub".into()),
            lead: Some(UserId::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::d;
    use super::*;

    #[test]
    fn six_months_to_an_inspection_date_starts_the_same_day_six_months_earlier() {
        let w = Window::six_months_to(d(2026, 8, 31));
        assert_eq!(
            w.from,
            d(2026, 2, 28),
            "no 31 February: the month's last day"
        );
        assert!(w.contains(d(2026, 2, 28)) && w.contains(d(2026, 8, 31)));
        assert!(!w.contains(d(2026, 2, 27)) && !w.contains(d(2026, 9, 1)));
    }

    #[test]
    fn an_episode_overlaps_when_it_ran_at_any_time_in_the_window() {
        let w = Window::new(d(2026, 1, 1), d(2026, 6, 30)).unwrap();
        assert!(w.overlaps(d(2025, 3, 1), None), "still open");
        assert!(
            w.overlaps(d(2025, 3, 1), Some(d(2026, 1, 1))),
            "ended on the first day"
        );
        assert!(
            !w.overlaps(d(2025, 3, 1), Some(d(2025, 12, 31))),
            "ended before"
        );
        assert!(!w.overlaps(d(2026, 7, 1), None), "started after");
        assert!(Window::new(d(2026, 2, 1), d(2026, 1, 1)).is_err());
    }

    #[test]
    fn ages_are_at_the_last_birthday_and_minus_one_before_birth() {
        let on = d(2026, 3, 1);
        let born = |day| date_of_birth(Some(day), None);
        assert_eq!(age_in_years(born(d(2016, 3, 1)), on), Some(10));
        assert_eq!(age_in_years(born(d(2016, 3, 2)), on), Some(9));
        let expected = date_of_birth(Some(d(2026, 5, 1)), Some(DobCertainty::Expected));
        assert_eq!(age_in_years(expected, on), Some(-1));
        assert_eq!(age_in_years(None, on), None);
        assert_eq!(
            is_child(born(d(2008, 3, 2)), on),
            Some(true),
            "17 until tomorrow"
        );
        assert_eq!(is_child(born(d(2008, 3, 1)), on), Some(false), "18 today");
        assert_eq!(is_child(expected, on), Some(true));
    }

    #[test]
    fn codes_are_the_dfe_ones() {
        assert_eq!(sex_code(Some(Sex::Female)), "F");
        assert_eq!(sex_code(None), "U");
        assert_eq!(sex_word(Some(Sex::Male)), "Male");
        assert_eq!(contact_source_code(OrganisationKind::School), "2A");
        assert_eq!(contact_source_code(OrganisationKind::Police), "6");
    }
}
