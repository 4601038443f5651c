//! Measuring impact: the partnership's catalogue of key performance indicators (KPIs), the
//! quarters figures are counted in, and the arithmetic of each indicator Hearth computes from
//! the record. Pure: the store hands over the facts (one row per request or episode), these
//! functions count them, so every figure can be worked out by hand from its definition.

use crate::episode::{ClosureReason, EpisodeLevel};
use crate::identification::feed::EventKind;
use crate::identification::worklist::{FamilyKey, Outreach};
use crate::ids::{EpisodeId, OrganisationId, PersonId, RequestId, UserId};
use crate::routing::{rerequest_within_year, DueTimes, Urgency};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::HashMap;

/// Which way is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Reduce,
    /// A volume to watch, neither good nor bad in itself (requests received, caseloads).
    Monitor,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Increase => "Increase",
            Direction::Reduce => "Reduce",
            Direction::Monitor => "Monitor",
        }
    }
}

/// How often the partnership reports the indicator (seed 003: quarterly or annual).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Quarterly,
    Annual,
}

impl Frequency {
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Quarterly => "Quarterly",
            Frequency::Annual => "Annual",
        }
    }
}

/// The indicators Hearth counts from its own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Requests,
    DecidedOnTime,
    ReRequests,
    NoFurtherAction,
    AssessmentsOnTime,
    Caseload,
    EpisodesOpened,
    EpisodesClosed,
    StepUp,
    StepDown,
    NeedsMet,
    FamilyFeedback,
    FamiliesBetter,
    /// Early identification's worklist (ADR 0057): families identified from partners' data,
    /// what people recorded doing about them, and how long until someone made contact.
    FamiliesIdentified,
    FamiliesContacted,
    FamiliesOfferedHelp,
    FamiliesDeclined,
    FamiliesNotAppropriate,
    DaysToContact,
    /// Partners' data attached to the families Hearth helps (issue 19 item 7): episodes whose
    /// children's school attendance in the quarter was 90% or more throughout, and those with
    /// a school exclusion or a domestic abuse notification while open.
    SupportedAttendance,
    SupportedExclusions,
    SupportedDomesticAbuse,
}

impl Measure {
    /// Whether the figure counts the worklist's families: they are the partnership's, not a
    /// team's or an agency's (nobody asked for them, nobody helps them yet), so only the
    /// partnership's dashboard shows them, narrowed by area and people's filters alone.
    pub fn counts_families(self) -> bool {
        matches!(
            self,
            Measure::FamiliesIdentified
                | Measure::FamiliesContacted
                | Measure::FamiliesOfferedHelp
                | Measure::FamiliesDeclined
                | Measure::FamiliesNotAppropriate
                | Measure::DaysToContact
        )
    }

    /// Whether the figure counts requests (the front door's) or episodes (the help given).
    pub fn counts_requests(self) -> bool {
        matches!(
            self,
            Measure::Requests
                | Measure::DecidedOnTime
                | Measure::ReRequests
                | Measure::NoFurtherAction
        )
    }
}

/// What a figure is: a count, a percentage, or an average per something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    /// A mean, shown to one decimal place (families per worker, rating out of 5).
    Mean,
    /// A rate per 10,000 children or per 1,000, or any figure entered as it is published.
    Entered,
}

/// Where an indicator's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Counted by Hearth from the record.
    Record(Measure),
    /// Published by a partner (education, health, police, youth justice) and entered or
    /// imported each period.
    Entered,
}

/// One indicator of the catalogue, with its definition so that anyone can check the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// Stable code, used in addresses, exports and configuration.
    pub code: String,
    pub title: String,
    pub numerator: String,
    /// `None` for a count.
    pub denominator: Option<String>,
    /// Which period a record counts in.
    pub period_rule: String,
    pub direction: Direction,
    pub target: Option<String>,
    pub baseline: Option<String>,
    pub national_average: Option<String>,
    pub frequency: Frequency,
    pub unit: Unit,
    pub source: Source,
}

#[allow(clippy::too_many_arguments)] // a catalogue line reads best as one call
fn kpi(
    code: &str,
    title: &str,
    numerator: &str,
    denominator: Option<&str>,
    period_rule: &str,
    direction: Direction,
    unit: Unit,
    source: Source,
) -> Kpi {
    Kpi {
        code: code.into(),
        title: title.into(),
        numerator: numerator.into(),
        denominator: denominator.map(Into::into),
        period_rule: period_rule.into(),
        direction,
        target: None,
        baseline: None,
        national_average: None,
        frequency: Frequency::Quarterly,
        unit,
        source,
    }
}

impl Kpi {
    fn target(mut self, target: &str) -> Self {
        self.target = Some(target.into());
        self
    }
    fn baseline(mut self, baseline: &str) -> Self {
        self.baseline = Some(baseline.into());
        self
    }
    fn national(mut self, average: &str) -> Self {
        self.national_average = Some(average.into());
        self
    }
    fn annual(mut self) -> Self {
        self.frequency = Frequency::Annual;
        self
    }

    pub fn measure(&self) -> Option<Measure> {
        match self.source {
            Source::Record(m) => Some(m),
            Source::Entered => None,
        }
    }
}

/// The default catalogue: what Hearth counts from the record (seeds 001–003) and the
/// partnership indicators seed 003 and seed 002 name, entered each period. Targets, baselines
/// and national averages are the seeds' where they give them; a partnership changes them in
/// its configuration.
pub fn default_catalogue() -> Vec<Kpi> {
    use Direction::*;
    use Measure as M;
    use Source::{Entered, Record};
    let q = "Requests submitted in the quarter";
    let decided = "Requests decided in the quarter";
    let closed = "Episodes closed in the quarter";
    vec![
        kpi("requests", "Requests for support received", "Requests for support submitted to the front door", None, q, Monitor, Unit::Count, Record(M::Requests)),
        kpi("decided_on_time", "Requests decided on time", "Requests decided by the end of their due working day (safeguarding concerns and urgent requests the same working day)", Some("Requests decided"), decided, Increase, Unit::Percent, Record(M::DecidedOnTime)).target("95%"),
        kpi("rerequests", "Re-requests within 12 months", "Requests about a person who was on another request in the 12 months before", Some("Requests submitted"), q, Reduce, Unit::Percent, Record(M::ReRequests)).national("20–25% (re-referrals)"),
        kpi("no_further_action", "Requests ending in no further action", "Requests decided as no further action", Some("Requests decided"), decided, Reduce, Unit::Percent, Record(M::NoFurtherAction)).baseline("tbc (seed 003)"),
        kpi("assessments_on_time", "Assessments completed on time", "Assessments submitted by their due date", Some("Assessments due"), "Assessments due in the quarter", Increase, Unit::Percent, Record(M::AssessmentsOnTime)).target("90%"),
        kpi("caseload", "Caseload per worker", "Episodes open on the last day of the quarter (or today)", Some("Workers leading at least one of them"), "Open on the quarter's last day", Monitor, Unit::Mean, Record(M::Caseload)),
        kpi("episodes_opened", "Episodes of Family Help opened", "Episodes started", None, "Episodes started in the quarter", Monitor, Unit::Count, Record(M::EpisodesOpened)),
        kpi("episodes_closed", "Episodes of Family Help closed", "Episodes closed", None, closed, Monitor, Unit::Count, Record(M::EpisodesClosed)),
        kpi("step_up", "Stepped up to children's social care", "Episodes closed because the family was stepped up", Some("Episodes closed"), closed, Reduce, Unit::Percent, Record(M::StepUp)),
        kpi("step_down", "Stepped down to universal services", "Episodes closed by a step down to universal services", Some("Episodes closed"), closed, Monitor, Unit::Percent, Record(M::StepDown)),
        kpi("needs_met", "Needs met through the early help assessment process", "Needs recorded as achieved at closure", Some("Needs given a result at closure"), closed, Increase, Unit::Percent, Record(M::NeedsMet)).baseline("tbc (seed 003)"),
        kpi("family_feedback", "Families' rating of the help", "Sum of the ratings families gave (1 to 5)", Some("Families who answered"), closed, Increase, Unit::Mean, Record(M::FamilyFeedback)),
        kpi("families_identified", "Families identified early from partners' data", "Families who first met the worklist's rule in the quarter: indicators in two or more headline needs from the partners' data imported by that day, and nobody in an open episode (under today's indicators)", None, "Identified in the quarter", Monitor, Unit::Count, Record(M::FamiliesIdentified)),
        kpi("families_contacted", "Identified families contacted", "Families identified early who were recorded on the worklist as contacted in the quarter", None, "Recorded in the quarter", Increase, Unit::Count, Record(M::FamiliesContacted)),
        kpi("families_offered_help", "Identified families offered help", "Families identified early who were recorded on the worklist as offered help in the quarter", None, "Recorded in the quarter", Increase, Unit::Count, Record(M::FamiliesOfferedHelp)),
        kpi("families_declined", "Identified families who declined help", "Families identified early who were recorded on the worklist as declining in the quarter", None, "Recorded in the quarter", Monitor, Unit::Count, Record(M::FamiliesDeclined)),
        kpi("families_not_appropriate", "Identified families for whom help was not appropriate", "Families identified early who were recorded on the worklist as not appropriate in the quarter", None, "Recorded in the quarter", Monitor, Unit::Count, Record(M::FamiliesNotAppropriate)),
        kpi("days_to_contact", "Days from identification to contact", "Days from the day each family was identified to the day it was first recorded as contacted", Some("Families first contacted in the quarter"), "First contacted in the quarter", Reduce, Unit::Mean, Record(M::DaysToContact)),
        kpi("supported_attendance", "Supported families whose children attend 90% or more", "Episodes whose children's every term's attendance dated in the quarter, from the schools' files matched to them, was 90% or more", Some("Episodes with a term's attendance in the quarter while open"), "Attendance dated in the quarter", Increase, Unit::Percent, Record(M::SupportedAttendance)),
        kpi("supported_exclusions", "Supported families with a school exclusion", "Episodes with an exclusion of one of the family, from the schools' files matched to them, dated in the quarter while open", None, "Exclusions dated in the quarter", Reduce, Unit::Count, Record(M::SupportedExclusions)),
        kpi("supported_domestic_abuse", "Supported families with a domestic abuse notification", "Episodes with a police domestic abuse notification about one of the family, matched to them, dated in the quarter while open", None, "Notifications dated in the quarter", Reduce, Unit::Count, Record(M::SupportedDomesticAbuse)),
        kpi("families_better", "Families who say things are better", "Episodes whose latest answer in the quarter to the survey question \"are things better, about the same or worse?\" (the family's or a child's, at a review or at closure) says better", Some("Episodes with an answer to that question given in the quarter"), "Answers given in the quarter", Increase, Unit::Percent, Record(M::FamiliesBetter)),
        kpi("cp_plans", "Children on child protection plans (rate per 10,000)", "Children on a child protection plan on the last day", Some("Children in the area, per 10,000"), "As published", Reduce, Unit::Entered, Entered).baseline("48.4 (2012/13)").national("37.8 (2011/12)"),
        kpi("first_time_entrants", "First-time entrants to the youth justice system", "Young people given a first caution or conviction", None, "As published", Reduce, Unit::Entered, Entered).baseline("tbc (2012/13)"),
        kpi("absence", "Overall absence in primary, secondary and special schools (%)", "Sessions missed", Some("Possible sessions"), "School year", Reduce, Unit::Entered, Entered).baseline("5.0% (2011/12)").national("5.1% (2011/12)").annual(),
        kpi("fsm_gap", "Attainment gap, free school meals and not (KS2, %)", "Gap in expected standard between pupils eligible for free school meals and not", None, "School year", Reduce, Unit::Entered, Entered).baseline("22.0% (2011/12)").national("17.0% (2011/12)").annual(),
        kpi("neet", "Young people in years 12–14 not in education, employment or training (%)", "Young people NEET or not known", Some("Young people in academic years 12–14"), "As published", Reduce, Unit::Entered, Entered).baseline("2.5% (2012/13)").national("6.3% (2011/12)"),
        kpi("breastfeeding", "Breastfeeding at 6–8 weeks (%)", "Infants breastfed at 6–8 weeks", Some("Infants due a 6–8 week check"), "As published", Increase, Unit::Entered, Entered).national("46.9% (2011/12)"),
        kpi("under_18_conceptions", "Under-18 conception rate (per 1,000 females aged 15–17)", "Conceptions under 18", Some("Females aged 15–17, per 1,000"), "Calendar year", Reduce, Unit::Entered, Entered).baseline("31.9 (2011)").national("30.7 (2011)").annual(),
        kpi("child_poverty", "Children in households below 60% of median income (%)", "Dependent children in low-income households", Some("Dependent children"), "As published", Reduce, Unit::Entered, Entered).baseline("17.1% (2010)").national("20.6% (2010)").annual(),
        kpi("good_level_of_development", "Good level of development at the end of reception (%)", "Children reaching a good level of development", Some("Children assessed"), "School year", Increase, Unit::Entered, Entered).target("75%").annual(),
        kpi("exclusions", "Permanent exclusions", "Pupils permanently excluded", None, "School year", Reduce, Unit::Entered, Entered).annual(),
        kpi("children_in_care", "Children in care (rate per 10,000)", "Children looked after on the last day", Some("Children in the area, per 10,000"), "As published", Reduce, Unit::Entered, Entered),
    ]
}

/// The partnership's catalogue: the defaults with its own targets, baselines, national
/// averages, frequencies and titles (a `kpi_catalogue` file, one `code.field = value` a line).
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue(pub Vec<Kpi>);

impl Default for Catalogue {
    fn default() -> Self {
        Self(default_catalogue())
    }
}

impl std::ops::Deref for Catalogue {
    type Target = [Kpi];
    fn deref(&self) -> &[Kpi] {
        &self.0
    }
}

impl Catalogue {
    /// The defaults changed by the partnership's lines (`#` starts a comment). A line that
    /// names no indicator or field, or has no `=`, is an error naming its number.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let mut list = default_catalogue();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |why: &str| format!("line {}: {why}", n + 1);
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| at("expected `code.field = value`"))?;
            let (code, field) = key
                .trim()
                .split_once('.')
                .ok_or_else(|| at("expected `code.field = value`"))?;
            let kpi = list
                .iter_mut()
                .find(|k| k.code == code)
                .ok_or_else(|| at(&format!("no indicator `{code}`")))?;
            let value = value.trim();
            let text = (!value.is_empty()).then(|| value.to_string());
            match field {
                "title" => kpi.title = value.to_string(),
                "target" => kpi.target = text,
                "baseline" => kpi.baseline = text,
                "national_average" => kpi.national_average = text,
                "frequency" => {
                    kpi.frequency = match value {
                        "quarterly" => Frequency::Quarterly,
                        "annual" => Frequency::Annual,
                        _ => return Err(at("frequency is `quarterly` or `annual`")),
                    }
                }
                _ => {
                    return Err(at(
                        "the fields are title, target, baseline, national_average and frequency",
                    ))
                }
            }
        }
        Ok(Self(list))
    }
}

/// A quarter of the financial year (April to March), the period partnership boards report in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// The year the financial year starts in (2026 for 2026/27).
    pub year: i32,
    /// 1 (April–June) to 4 (January–March).
    pub number: u8,
}

impl Quarter {
    pub fn containing(day: NaiveDate) -> Self {
        let m = day.month();
        let (year, number) = match m {
            4..=6 => (day.year(), 1),
            7..=9 => (day.year(), 2),
            10..=12 => (day.year(), 3),
            _ => (day.year() - 1, 4),
        };
        Self { year, number }
    }

    /// The quarter's first day.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self.number {
            1 => (self.year, 4),
            2 => (self.year, 7),
            3 => (self.year, 10),
            _ => (self.year + 1, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The day after the quarter's last day.
    pub fn end(self) -> NaiveDate {
        self.next().start()
    }

    pub fn next(self) -> Self {
        if self.number == 4 {
            Self {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Self {
                year: self.year,
                number: self.number + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.number == 1 {
            Self {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Self {
                year: self.year,
                number: self.number - 1,
            }
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        day >= self.start() && day < self.end()
    }

    /// The `count` quarters ending with this one, oldest first.
    pub fn trailing(self, count: usize) -> Vec<Quarter> {
        let mut list = vec![self];
        while list.len() < count {
            let first = list[0].previous();
            list.insert(0, first);
        }
        list
    }

    /// As an address or export names it: `2026-Q1`.
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year, self.number)
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let (year, q) = code.split_once("-Q")?;
        let year: i32 = year.parse().ok()?;
        let number: u8 = q.parse().ok()?;
        ((1..=4).contains(&number) && (1900..=9999).contains(&year))
            .then_some(Self { year, number })
    }

    /// As a page shows it: `Q1 2026/27 (Apr–Jun 2026)`.
    pub fn label(self) -> String {
        let months = ["Apr–Jun", "Jul–Sep", "Oct–Dec", "Jan–Mar"][usize::from(self.number - 1)];
        let calendar = if self.number == 4 {
            self.year + 1
        } else {
            self.year
        };
        format!(
            "Q{} {}/{:02} ({months} {calendar})",
            self.number,
            self.year,
            (self.year + 1).rem_euclid(100)
        )
    }

    /// Short, for a chart's axis: `Q1 26/27`.
    pub fn short(self) -> String {
        format!(
            "Q{} {:02}/{:02}",
            self.number,
            self.year.rem_euclid(100),
            (self.year + 1).rem_euclid(100)
        )
    }
}

/// Age bands the dashboards filter by, at the time of the request or the episode's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeBand {
    UnderFive,
    FiveToNine,
    TenToFifteen,
    SixteenToTwentyFive,
    Adult,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::UnderFive,
        AgeBand::FiveToNine,
        AgeBand::TenToFifteen,
        AgeBand::SixteenToTwentyFive,
        AgeBand::Adult,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::UnderFive => "0-4",
            AgeBand::FiveToNine => "5-9",
            AgeBand::TenToFifteen => "10-15",
            AgeBand::SixteenToTwentyFive => "16-25",
            AgeBand::Adult => "26+",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::UnderFive => "Under 5",
            AgeBand::FiveToNine => "5 to 9",
            AgeBand::TenToFifteen => "10 to 15",
            AgeBand::SixteenToTwentyFive => "16 to 25 (SEND to 25)",
            AgeBand::Adult => "26 and over",
        }
    }

    /// Whole years: at least the first, less than the second (none above the adult band).
    pub fn years(self) -> (u32, Option<u32>) {
        match self {
            AgeBand::UnderFive => (0, Some(5)),
            AgeBand::FiveToNine => (5, Some(10)),
            AgeBand::TenToFifteen => (10, Some(16)),
            AgeBand::SixteenToTwentyFive => (16, Some(26)),
            AgeBand::Adult => (26, None),
        }
    }
}

/// What the front door decided, by kind (a decision's details stay on the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OutcomeCode(pub &'static str);

/// One request for support, as the figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFact {
    pub id: RequestId,
    pub submitted: DateTime<Utc>,
    pub urgency: Urgency,
    pub safeguarding: bool,
    pub agency: OrganisationId,
    pub people: Vec<PersonId>,
    /// Set once decided (and confirmed, where a manager must confirm).
    pub decided: Option<(DateTime<Utc>, OutcomeCode)>,
}

/// One episode of Family Help, as the figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeFact {
    pub id: EpisodeId,
    pub started_on: NaiveDate,
    /// Set once closed (signed off).
    pub ended_on: Option<NaiveDate>,
    pub level: EpisodeLevel,
    pub closure_reason: Option<ClosureReason>,
    pub lead: Option<UserId>,
    /// The assessment's due date, and the day it was submitted.
    pub assessment_due: NaiveDate,
    pub assessment_done: Option<NaiveDate>,
    /// Needs given a result at closure, and of them those achieved.
    pub needs_with_result: u64,
    pub needs_achieved: u64,
    /// The family's rating (1–5), if they answered.
    pub rating: Option<u8>,
    /// Answers to the surveys' "are things better?" (the family's and children's), oldest
    /// first: the day given, and whether it said better.
    pub said_better: Vec<(NaiveDate, bool)>,
    /// Partners' events matched to the family's people, dated while the episode was open.
    pub partner_events: Vec<PartnerEventFact>,
}

/// A partner's event about someone in an episode's family: what, when, and for a term's
/// attendance its percentage in tenths (842 is 84.2%).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerEventFact {
    pub event: EventKind,
    pub on: NaiveDate,
    pub attendance: Option<u32>,
}

/// A term's attendance from this (in tenths of a percent) is "attending well": the threshold
/// of the attendance indicator and of persistent absence's complement.
pub const GOOD_ATTENDANCE: u32 = 900;

/// A computed figure, before it is shown: the numerator and, for a rate or mean, the
/// denominator it is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub numerator: u64,
    pub denominator: Option<u64>,
}

impl Figure {
    fn count(n: usize) -> Self {
        Self {
            numerator: n as u64,
            denominator: None,
        }
    }
    fn ratio(n: usize, d: usize) -> Self {
        Self {
            numerator: n as u64,
            denominator: Some(d as u64),
        }
    }

    /// The value in the indicator's unit; `None` for a rate over nothing.
    pub fn value(self, unit: Unit) -> Option<f64> {
        match (self.denominator, unit) {
            (None, _) => Some(self.numerator as f64),
            (Some(0), _) => None,
            (Some(d), Unit::Percent) => Some(100.0 * self.numerator as f64 / d as f64),
            (Some(d), _) => Some(self.numerator as f64 / d as f64),
        }
    }
}

/// Counts under this are not shown to anyone outside the council: a small number can point
/// to a family.
pub const SUPPRESS_BELOW: u64 = 5;

/// A figure as a viewer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Value {
        value: f64,
        text: String,
    },
    /// A rate over nothing: no figure.
    Nothing,
    /// Fewer than [`SUPPRESS_BELOW`] in the count or in the rate's denominator.
    Suppressed,
}

impl Shown {
    pub fn text(&self) -> String {
        match self {
            Shown::Value { text, .. } => text.clone(),
            Shown::Nothing => "No figure".into(),
            Shown::Suppressed => "Fewer than 5".into(),
        }
    }

    pub fn value(&self) -> Option<f64> {
        match self {
            Shown::Value { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// Formats a value in its unit: `12`, `33.3%`, `4.5`.
pub fn format_value(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format!("{value:.0}"),
        Unit::Percent => format!("{value:.1}%"),
        Unit::Mean => format!("{value:.1}"),
        Unit::Entered => {
            let s = format!("{value:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

/// True when a count, a rate's numerator or its denominator is between 1 and 4: a number
/// small enough to point to a family.
pub fn too_small(figure: Figure) -> bool {
    let small = |n: u64| (1..SUPPRESS_BELOW).contains(&n);
    small(figure.numerator) || figure.denominator.is_some_and(small)
}

/// How a figure is shown: suppressed for viewers outside the council when a count, a rate's
/// numerator or its denominator is between 1 and 4 (a zero tells nothing about a family).
pub fn show(figure: Figure, unit: Unit, suppress_small: bool) -> Shown {
    if suppress_small && too_small(figure) {
        return Shown::Suppressed;
    }
    match figure.value(unit) {
        Some(value) => Shown::Value {
            value,
            text: format_value(value, unit),
        },
        None => Shown::Nothing,
    }
}

/// Which requests had a person on them who was on another request in the 365 days before.
/// `history` holds every request's people and time from a year before the first quarter on.
pub fn rerequests(
    history: &[(RequestId, DateTime<Utc>, Vec<PersonId>)],
) -> std::collections::HashSet<RequestId> {
    let mut by_person: HashMap<PersonId, Vec<(DateTime<Utc>, RequestId)>> = HashMap::new();
    for (id, at, people) in history {
        for p in people {
            by_person.entry(*p).or_default().push((*at, *id));
        }
    }
    let mut found = std::collections::HashSet::new();
    for (id, at, people) in history {
        let earlier: Vec<DateTime<Utc>> = people
            .iter()
            .flat_map(|p| by_person.get(p).into_iter().flatten())
            .filter(|(when, other)| other != id && when < at)
            .map(|(when, _)| *when)
            .collect();
        if rerequest_within_year(&earlier, *at).is_some() {
            found.insert(*id);
        }
    }
    found
}

/// A family early identification brought to the worklist, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifiedFact {
    pub family: FamilyKey,
    /// The first day it belonged on the worklist
    /// ([`crate::identification::measures::identified_on`]).
    pub identified_on: NaiveDate,
    /// What people recorded doing about it, oldest first.
    pub outreach: Vec<(NaiveDate, Outreach)>,
}

impl IdentifiedFact {
    /// The first day someone recorded contact, if anyone has.
    pub fn contacted_on(&self) -> Option<NaiveDate> {
        self.outreach
            .iter()
            .find(|(_, o)| *o == Outreach::Contacted)
            .map(|(d, _)| *d)
    }
}

/// The facts a quarter's figures are counted from.
pub struct Facts<'a> {
    pub requests: &'a [RequestFact],
    pub rerequests: &'a std::collections::HashSet<RequestId>,
    pub episodes: &'a [EpisodeFact],
    /// The worklist's families (empty where the figures are narrowed to an agency, team or
    /// lead).
    pub identified: &'a [IdentifiedFact],
    pub due_times: DueTimes,
    /// Today: the current quarter's caseload is counted today, not on its last day.
    pub today: NaiveDate,
}

/// The code of a decision of no further action.
pub const NO_FURTHER_ACTION: &str = "no_further_action";

/// Which records a figure counts: for a rate, the records of its denominator (`true` where
/// they are in the numerator too); for a count, those it counts (all `true`).
pub fn members(measure: Measure, quarter: Quarter, facts: &Facts<'_>) -> Members {
    let submitted = |r: &&RequestFact| quarter.contains(r.submitted.date_naive());
    let decided_in = |r: &RequestFact| {
        r.decided
            .filter(|(at, _)| quarter.contains(at.date_naive()))
    };
    let closed_in = |e: &&EpisodeFact| e.ended_on.is_some_and(|d| quarter.contains(d));
    // Families with `outreach` recorded in the quarter, once each.
    let recorded = |outreach: Outreach| {
        Members::Families(
            facts
                .identified
                .iter()
                .filter(|f| {
                    f.outreach
                        .iter()
                        .any(|(d, o)| *o == outreach && quarter.contains(*d))
                })
                .map(|f| (f.family, true))
                .collect(),
        )
    };
    match measure {
        Measure::FamiliesIdentified => Members::Families(
            facts
                .identified
                .iter()
                .filter(|f| quarter.contains(f.identified_on))
                .map(|f| (f.family, true))
                .collect(),
        ),
        Measure::FamiliesContacted => recorded(Outreach::Contacted),
        Measure::FamiliesOfferedHelp => recorded(Outreach::OfferedHelp),
        Measure::FamiliesDeclined => recorded(Outreach::Declined),
        Measure::FamiliesNotAppropriate => recorded(Outreach::NotAppropriate),
        Measure::DaysToContact => Members::Families(
            facts
                .identified
                .iter()
                .filter(|f| f.contacted_on().is_some_and(|d| quarter.contains(d)))
                .map(|f| (f.family, true))
                .collect(),
        ),
        Measure::Requests => Members::Requests(
            facts
                .requests
                .iter()
                .filter(submitted)
                .map(|r| (r.id, true))
                .collect(),
        ),
        Measure::ReRequests => Members::Requests(
            facts
                .requests
                .iter()
                .filter(submitted)
                .map(|r| (r.id, facts.rerequests.contains(&r.id)))
                .collect(),
        ),
        Measure::DecidedOnTime => Members::Requests(
            facts
                .requests
                .iter()
                .filter_map(|r| {
                    let (at, _) = decided_in(r)?;
                    let due = facts
                        .due_times
                        .due_on(r.submitted, r.urgency, r.safeguarding);
                    Some((r.id, at.date_naive() <= due))
                })
                .collect(),
        ),
        Measure::NoFurtherAction => Members::Requests(
            facts
                .requests
                .iter()
                .filter_map(|r| {
                    let (_, outcome) = decided_in(r)?;
                    Some((r.id, outcome.0 == NO_FURTHER_ACTION))
                })
                .collect(),
        ),
        Measure::AssessmentsOnTime => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter(|e| quarter.contains(e.assessment_due))
                .map(|e| {
                    (
                        e.id,
                        e.assessment_done.is_some_and(|d| d <= e.assessment_due),
                    )
                })
                .collect(),
        ),
        Measure::Caseload => {
            let day = (quarter.end() - chrono::Duration::days(1)).min(facts.today);
            Members::Episodes(
                facts
                    .episodes
                    .iter()
                    .filter(|e| e.started_on <= day && e.ended_on.is_none_or(|end| end > day))
                    .map(|e| (e.id, true))
                    .collect(),
            )
        }
        Measure::EpisodesOpened => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter(|e| quarter.contains(e.started_on))
                .map(|e| (e.id, true))
                .collect(),
        ),
        Measure::EpisodesClosed => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter(closed_in)
                .map(|e| (e.id, true))
                .collect(),
        ),
        Measure::StepUp | Measure::StepDown => {
            let reason = if measure == Measure::StepUp {
                ClosureReason::StepUp
            } else {
                ClosureReason::StepDownToUniversal
            };
            Members::Episodes(
                facts
                    .episodes
                    .iter()
                    .filter(closed_in)
                    .map(|e| (e.id, e.closure_reason == Some(reason)))
                    .collect(),
            )
        }
        Measure::NeedsMet => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter(closed_in)
                .filter(|e| e.needs_with_result > 0)
                .map(|e| (e.id, e.needs_achieved > 0))
                .collect(),
        ),
        Measure::FamilyFeedback => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter(closed_in)
                .filter(|e| e.rating.is_some())
                .map(|e| (e.id, true))
                .collect(),
        ),
        Measure::SupportedAttendance => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter_map(|e| {
                    let terms: Vec<u32> = e
                        .partner_events
                        .iter()
                        .filter(|p| p.event == EventKind::Attendance && quarter.contains(p.on))
                        .filter_map(|p| p.attendance)
                        .collect();
                    (!terms.is_empty()).then(|| (e.id, terms.iter().all(|a| *a >= GOOD_ATTENDANCE)))
                })
                .collect(),
        ),
        Measure::SupportedExclusions => with_event(facts, quarter, EventKind::Exclusion),
        Measure::SupportedDomesticAbuse => with_event(facts, quarter, EventKind::DomesticAbuse),
        Measure::FamiliesBetter => Members::Episodes(
            facts
                .episodes
                .iter()
                .filter_map(|e| {
                    let latest = e
                        .said_better
                        .iter()
                        .rfind(|(day, _)| quarter.contains(*day))?;
                    Some((e.id, latest.1))
                })
                .collect(),
        ),
    }
}

/// The episodes with a partner's `event` about their family dated in the quarter.
fn with_event(facts: &Facts<'_>, quarter: Quarter, event: EventKind) -> Members {
    Members::Episodes(
        facts
            .episodes
            .iter()
            .filter(|e| {
                e.partner_events
                    .iter()
                    .any(|p| p.event == event && quarter.contains(p.on))
            })
            .map(|e| (e.id, true))
            .collect(),
    )
}

/// The records behind a figure, each marked when it is in the numerator.
#[derive(Debug, Clone, PartialEq)]
pub enum Members {
    Requests(Vec<(RequestId, bool)>),
    Episodes(Vec<(EpisodeId, bool)>),
    /// The worklist's families: counted, never listed behind a figure (they are listed on the
    /// worklist, for those who work it).
    Families(Vec<(FamilyKey, bool)>),
}

impl Members {
    pub fn len(&self) -> usize {
        match self {
            Members::Requests(l) => l.len(),
            Members::Episodes(l) => l.len(),
            Members::Families(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn in_numerator(&self) -> usize {
        match self {
            Members::Requests(l) => l.iter().filter(|(_, n)| *n).count(),
            Members::Episodes(l) => l.iter().filter(|(_, n)| *n).count(),
            Members::Families(l) => l.iter().filter(|(_, n)| *n).count(),
        }
    }
}

/// An indicator's figure for a quarter.
pub fn figure(measure: Measure, quarter: Quarter, facts: &Facts<'_>) -> Figure {
    let m = members(measure, quarter, facts);
    // A set, not a scan of `ids` per episode: a city quarter has thousands of each.
    let episodes_in = |ids: &[(EpisodeId, bool)]| -> Vec<&EpisodeFact> {
        let ids: std::collections::HashSet<EpisodeId> = ids.iter().map(|(id, _)| *id).collect();
        facts
            .episodes
            .iter()
            .filter(|e| ids.contains(&e.id))
            .collect()
    };
    match (measure, &m) {
        (
            Measure::Requests
            | Measure::EpisodesOpened
            | Measure::EpisodesClosed
            | Measure::FamiliesIdentified
            | Measure::FamiliesContacted
            | Measure::FamiliesOfferedHelp
            | Measure::FamiliesDeclined
            | Measure::FamiliesNotAppropriate
            | Measure::SupportedExclusions
            | Measure::SupportedDomesticAbuse,
            _,
        ) => Figure::count(m.len()),
        (Measure::DaysToContact, Members::Families(keys)) => {
            let keys: std::collections::HashSet<FamilyKey> = keys.iter().map(|(k, _)| *k).collect();
            let days: Vec<u64> = facts
                .identified
                .iter()
                .filter(|f| keys.contains(&f.family))
                .filter_map(|f| {
                    let contacted = f.contacted_on()?;
                    // Contact recorded before the family met the rule counts as the same day.
                    Some((contacted - f.identified_on).num_days().max(0) as u64)
                })
                .collect();
            Figure {
                numerator: days.iter().sum(),
                denominator: Some(days.len() as u64),
            }
        }
        (Measure::Caseload, Members::Episodes(ids)) => {
            let open = episodes_in(ids);
            let mut leads: Vec<UserId> = open.iter().filter_map(|e| e.lead).collect();
            leads.sort();
            leads.dedup();
            // Families nobody leads yet are on nobody's caseload.
            let led = open.iter().filter(|e| e.lead.is_some()).count();
            Figure::ratio(led, leads.len())
        }
        (Measure::NeedsMet, Members::Episodes(ids)) => {
            let closed = episodes_in(ids);
            Figure {
                numerator: closed.iter().map(|e| e.needs_achieved).sum(),
                denominator: Some(closed.iter().map(|e| e.needs_with_result).sum()),
            }
        }
        (Measure::FamilyFeedback, Members::Episodes(ids)) => {
            let answered = episodes_in(ids);
            Figure {
                numerator: answered
                    .iter()
                    .filter_map(|e| e.rating)
                    .map(u64::from)
                    .sum(),
                denominator: Some(answered.len() as u64),
            }
        }
        _ => Figure::ratio(m.in_numerator(), m.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_partnership_sets_its_own_targets() {
        let c = Catalogue::with_overrides(
            "# ours\nneeds_met.target = 80%\nrerequests.national_average = 22.6% (2024/25)\nneet.frequency = annual\n",
        )
        .unwrap_or_default();
        let k = |code: &str| c.iter().find(|k| k.code == code).cloned();
        assert_eq!(
            k("needs_met").and_then(|k| k.target).as_deref(),
            Some("80%")
        );
        assert_eq!(
            k("rerequests").and_then(|k| k.national_average).as_deref(),
            Some("22.6% (2024/25)")
        );
        assert_eq!(k("neet").map(|k| k.frequency), Some(Frequency::Annual));
        assert_eq!(
            Catalogue::with_overrides("\nnope.target = 1")
                .err()
                .as_deref(),
            Some("line 2: no indicator `nope`")
        );
        assert!(Catalogue::with_overrides("needs_met.colour = red").is_err());
    }

    #[test]
    fn quarters_follow_the_financial_year() {
        let q = Quarter::containing(day(2026, 2, 14));
        assert_eq!(
            q,
            Quarter {
                year: 2025,
                number: 4
            }
        );
        assert_eq!(q.start(), day(2026, 1, 1));
        assert_eq!(q.end(), day(2026, 4, 1));
        assert_eq!(
            q.next(),
            Quarter {
                year: 2026,
                number: 1
            }
        );
        assert_eq!(q.code(), "2025-Q4");
        assert_eq!(Quarter::from_code("2025-Q4"), Some(q));
        assert_eq!(Quarter::from_code("2025-Q5"), None);
        assert_eq!(q.label(), "Q4 2025/26 (Jan–Mar 2026)");
        assert_eq!(
            Quarter {
                year: 2026,
                number: 1
            }
            .trailing(3),
            vec![
                Quarter {
                    year: 2025,
                    number: 3
                },
                Quarter {
                    year: 2025,
                    number: 4
                },
                Quarter {
                    year: 2026,
                    number: 1
                }
            ]
        );
    }

    #[test]
    fn small_numbers_are_hidden_outside_the_council_only() {
        let f = Figure {
            numerator: 3,
            denominator: Some(40),
        };
        assert_eq!(show(f, Unit::Percent, true), Shown::Suppressed);
        assert_eq!(show(f, Unit::Percent, false).text(), "7.5%");
        let zero = Figure {
            numerator: 0,
            denominator: Some(12),
        };
        assert_eq!(show(zero, Unit::Percent, true).text(), "0.0%");
        let few = Figure {
            numerator: 8,
            denominator: Some(4),
        };
        assert_eq!(show(few, Unit::Mean, true), Shown::Suppressed);
        assert_eq!(
            show(
                Figure {
                    numerator: 0,
                    denominator: Some(0)
                },
                Unit::Percent,
                false
            ),
            Shown::Nothing
        );
        assert_eq!(
            show(
                Figure {
                    numerator: 5,
                    denominator: None
                },
                Unit::Count,
                true
            )
            .text(),
            "5"
        );
    }

    #[test]
    fn a_request_is_a_rerequest_when_someone_on_it_was_asked_about_within_a_year() {
        let at = |y, m, d| {
            Utc.with_ymd_and_hms(y, m, d, 10, 0, 0)
                .single()
                .unwrap_or_default()
        };
        let (a, b, c) = (PersonId::new(), PersonId::new(), PersonId::new());
        let (r1, r2, r3, r4) = (
            RequestId::new(),
            RequestId::new(),
            RequestId::new(),
            RequestId::new(),
        );
        let history = vec![
            (r1, at(2025, 1, 10), vec![a]),
            // a again, 11 months on: a re-request
            (r2, at(2025, 12, 10), vec![a, b]),
            // c, never before
            (r3, at(2026, 1, 5), vec![c]),
            // b again 13 months after r2: not
            (r4, at(2027, 1, 11), vec![b]),
        ];
        let found = rerequests(&history);
        assert_eq!(found.len(), 1);
        assert!(found.contains(&r2));
    }

    #[test]
    fn partners_data_about_supported_families_is_counted_by_episode_and_quarter() {
        let episode = |events: &[(EventKind, NaiveDate, Option<u32>)]| EpisodeFact {
            id: EpisodeId::new(),
            started_on: day(2025, 1, 1),
            ended_on: None,
            level: EpisodeLevel::Early,
            closure_reason: None,
            lead: None,
            assessment_due: day(2025, 2, 1),
            assessment_done: None,
            needs_with_result: 0,
            needs_achieved: 0,
            rating: None,
            said_better: Vec::new(),
            partner_events: events
                .iter()
                .map(|&(event, on, attendance)| PartnerEventFact {
                    event,
                    on,
                    attendance,
                })
                .collect(),
        };
        use EventKind::*;
        let episodes = vec![
            // Two children: one at 95.5%, one at 89.9% in Q1; 91% in Q2.
            episode(&[
                (Attendance, day(2025, 5, 1), Some(955)),
                (Attendance, day(2025, 6, 1), Some(899)),
                (Attendance, day(2025, 8, 1), Some(910)),
                (Exclusion, day(2025, 6, 3), None),
            ]),
            // Exactly 90% in Q1, and two notifications that quarter (one family, counted once).
            episode(&[
                (Attendance, day(2025, 4, 20), Some(900)),
                (DomesticAbuse, day(2025, 4, 2), None),
                (DomesticAbuse, day(2025, 5, 9), None),
            ]),
            // Nothing the measures read.
            episode(&[(RentArrears, day(2025, 5, 1), None)]),
        ];
        let none = std::collections::HashSet::new();
        let facts = Facts {
            requests: &[],
            rerequests: &none,
            episodes: &episodes,
            identified: &[],
            due_times: DueTimes::default(),
            today: day(2025, 9, 1),
        };
        let (q1, q2, q3) = (
            Quarter {
                year: 2025,
                number: 1,
            },
            Quarter {
                year: 2025,
                number: 2,
            },
            Quarter {
                year: 2025,
                number: 3,
            },
        );
        let f = |numerator: u64, denominator: Option<u64>| Figure {
            numerator,
            denominator,
        };
        let cases = [
            (Measure::SupportedAttendance, q1, f(1, Some(2))),
            (Measure::SupportedAttendance, q2, f(1, Some(1))),
            (Measure::SupportedAttendance, q3, f(0, Some(0))),
            (Measure::SupportedExclusions, q1, f(1, None)),
            (Measure::SupportedExclusions, q2, f(0, None)),
            (Measure::SupportedDomesticAbuse, q1, f(1, None)),
        ];
        for (measure, quarter, want) in cases {
            assert_eq!(
                figure(measure, quarter, &facts),
                want,
                "{measure:?} {}",
                quarter.code()
            );
        }
    }

    #[test]
    fn the_worklists_measures_count_families_by_when_they_were_identified_and_what_was_done() {
        use crate::ids::HouseholdId;
        let (a, b, c) = (
            FamilyKey::Household(HouseholdId::new()),
            FamilyKey::Household(HouseholdId::new()),
            FamilyKey::OfOne(PersonId::new()),
        );
        let identified = vec![
            IdentifiedFact {
                family: a,
                identified_on: day(2025, 5, 10),
                outreach: vec![
                    (day(2025, 5, 20), Outreach::Contacted),
                    (day(2025, 6, 1), Outreach::OfferedHelp),
                    (day(2025, 7, 1), Outreach::Contacted),
                ],
            },
            IdentifiedFact {
                family: b,
                identified_on: day(2025, 6, 30),
                outreach: vec![
                    (day(2025, 7, 5), Outreach::Contacted),
                    (day(2025, 7, 6), Outreach::Declined),
                ],
            },
            IdentifiedFact {
                family: c,
                identified_on: day(2025, 3, 1),
                outreach: vec![(day(2025, 4, 2), Outreach::NotAppropriate)],
            },
        ];
        let none = std::collections::HashSet::new();
        let facts = Facts {
            requests: &[],
            rerequests: &none,
            episodes: &[],
            identified: &identified,
            due_times: DueTimes::default(),
            today: day(2025, 9, 1),
        };
        let (q1, q2) = (
            Quarter {
                year: 2025,
                number: 1,
            },
            Quarter {
                year: 2025,
                number: 2,
            },
        );
        let count = |n: u64| Figure {
            numerator: n,
            denominator: None,
        };
        // The measure, the quarter, and the figure worked out by hand.
        let cases = [
            (Measure::FamiliesIdentified, q1, count(2)),
            (Measure::FamiliesIdentified, q2, count(0)),
            (Measure::FamiliesContacted, q1, count(1)),
            // A contacted again in July, B for the first time: each family once.
            (Measure::FamiliesContacted, q2, count(2)),
            (Measure::FamiliesOfferedHelp, q1, count(1)),
            (Measure::FamiliesDeclined, q2, count(1)),
            (Measure::FamiliesNotAppropriate, q1, count(1)),
            // A: 10 days, first contacted in Q1; B: 5 days, in Q2.
            (
                Measure::DaysToContact,
                q1,
                Figure {
                    numerator: 10,
                    denominator: Some(1),
                },
            ),
            (
                Measure::DaysToContact,
                q2,
                Figure {
                    numerator: 5,
                    denominator: Some(1),
                },
            ),
        ];
        for (measure, quarter, want) in cases {
            assert_eq!(
                figure(measure, quarter, &facts),
                want,
                "{measure:?} {quarter:?}"
            );
        }
        assert_eq!(
            show(
                figure(Measure::DaysToContact, q1, &facts),
                Unit::Mean,
                false
            )
            .text(),
            "10.0"
        );
        assert!(default_catalogue()
            .iter()
            .filter_map(|k| k.measure())
            .any(Measure::counts_families));
    }
}
