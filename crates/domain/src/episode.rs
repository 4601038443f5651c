//! An episode of Family Help: its level and the moves between levels, closure, and the dates
//! by which work is due. Pure rules; the store keeps the episode and the app applies these.

use chrono::{Duration, NaiveDate};

/// The help an episode gives, on the Continuum of Need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EpisodeLevel {
    /// Early Family Help: a lead professional who knows the family best.
    Early,
    /// Targeted Family Help: a Family Help Worker in the core or adolescence service.
    Targeted,
    /// Children's social care (Child in Need, Child Protection).
    SocialCare,
}

impl EpisodeLevel {
    pub const ALL: [EpisodeLevel; 3] = [
        EpisodeLevel::Early,
        EpisodeLevel::Targeted,
        EpisodeLevel::SocialCare,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EpisodeLevel::Early => "early",
            EpisodeLevel::Targeted => "targeted",
            EpisodeLevel::SocialCare => "social_care",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EpisodeLevel::Early => "Early Family Help",
            EpisodeLevel::Targeted => "Targeted Family Help",
            EpisodeLevel::SocialCare => "Children's social care",
        }
    }

    /// The level of the Threshold of Need the help is at (its description is linked).
    pub fn continuum(self) -> crate::continuum::ContinuumLevel {
        use crate::continuum::ContinuumLevel;
        match self {
            EpisodeLevel::Early => ContinuumLevel::EarlyFamilyHelp,
            EpisodeLevel::Targeted => ContinuumLevel::TargetedFamilyHelp,
            EpisodeLevel::SocialCare => ContinuumLevel::Specialist,
        }
    }

    /// What the worker leading the episode is called at this level.
    pub fn lead_title(self) -> &'static str {
        match self {
            EpisodeLevel::Early => "Lead professional",
            EpisodeLevel::Targeted => "Family Help Worker",
            EpisodeLevel::SocialCare => "Social worker",
        }
    }
}

/// Where an episode stands: open, closure recorded and waiting for a manager's sign-off, or
/// closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpisodeStatus {
    Open,
    Closing,
    Closed,
}

impl EpisodeStatus {
    pub const ALL: [EpisodeStatus; 3] = [
        EpisodeStatus::Open,
        EpisodeStatus::Closing,
        EpisodeStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EpisodeStatus::Open => "open",
            EpisodeStatus::Closing => "closing",
            EpisodeStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EpisodeStatus::Open => "Open",
            EpisodeStatus::Closing => "Closure waiting for sign-off",
            EpisodeStatus::Closed => "Closed",
        }
    }
}

/// How much assessment the episode needs: an Early Help Brief Assessment for light-touch
/// help, or the full whole-family assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Brief,
    Full,
}

impl Route {
    pub const ALL: [Route; 2] = [Route::Brief, Route::Full];

    pub fn code(self) -> &'static str {
        match self {
            Route::Brief => "brief",
            Route::Full => "full",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Brief => "Early Help Brief Assessment",
            Route::Full => "Whole-family assessment",
        }
    }
}

/// A move of the episode to another level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
}

/// Why a move between levels is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRefused {
    Closed,
    SameLevel,
    /// An "up" that goes down, or the other way round.
    WrongDirection,
}

impl std::fmt::Display for StepRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StepRefused::Closed => "The episode is closed; open a new request for support",
            StepRefused::SameLevel => "The episode is already at that level",
            StepRefused::WrongDirection => {
                "Choose a level above the current one to step up, or below it to step down"
            }
        })
    }
}

/// Whether an open episode at `from` may move to `to`; which way it goes.
pub fn step(from: EpisodeLevel, to: EpisodeLevel, open: bool) -> Result<Step, StepRefused> {
    if !open {
        return Err(StepRefused::Closed);
    }
    match from.cmp(&to) {
        std::cmp::Ordering::Equal => Err(StepRefused::SameLevel),
        std::cmp::Ordering::Less => Ok(Step::Up),
        std::cmp::Ordering::Greater => Ok(Step::Down),
    }
}

/// Checks a requested move in a given direction (the form says "step up" or "step down").
pub fn step_in_direction(
    from: EpisodeLevel,
    to: EpisodeLevel,
    open: bool,
    wanted: Step,
) -> Result<Step, StepRefused> {
    let s = step(from, to, open)?;
    if s == wanted {
        Ok(s)
    } else {
        Err(StepRefused::WrongDirection)
    }
}

/// Why an episode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureReason {
    OutcomesMet,
    StepDownToUniversal,
    StepUp,
    ConsentWithdrawn,
    MovedAway,
    Other,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 6] = [
        ClosureReason::OutcomesMet,
        ClosureReason::StepDownToUniversal,
        ClosureReason::StepUp,
        ClosureReason::ConsentWithdrawn,
        ClosureReason::MovedAway,
        ClosureReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClosureReason::OutcomesMet => "outcomes_met",
            ClosureReason::StepDownToUniversal => "step_down_universal",
            ClosureReason::StepUp => "step_up",
            ClosureReason::ConsentWithdrawn => "consent_withdrawn",
            ClosureReason::MovedAway => "moved_away",
            ClosureReason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ClosureReason::OutcomesMet => "Outcomes met",
            ClosureReason::StepDownToUniversal => "Stepped down to universal services",
            ClosureReason::StepUp => "Stepped up to children's social care",
            ClosureReason::ConsentWithdrawn => "The family withdrew consent",
            ClosureReason::MovedAway => "The family moved away",
            ClosureReason::Other => "Other",
        }
    }
}

/// How far a need was met, recorded for each need at closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedResult {
    Achieved,
    Partly,
    NotAchieved,
}

impl NeedResult {
    pub const ALL: [NeedResult; 3] = [
        NeedResult::Achieved,
        NeedResult::Partly,
        NeedResult::NotAchieved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NeedResult::Achieved => "achieved",
            NeedResult::Partly => "partly",
            NeedResult::NotAchieved => "not_achieved",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NeedResult::Achieved => "Achieved",
            NeedResult::Partly => "Partly achieved",
            NeedResult::NotAchieved => "Not achieved",
        }
    }
}

/// Where a piece of work stands against its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Due {
    /// Past its date by this many days (the most urgent sort first).
    Overdue(i64),
    /// Due within the next week (days left).
    Soon(i64),
    /// Due later (days left).
    Later(i64),
}

/// Dated work on an episode that a team manager watches for being overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DueKind {
    /// The whole-family assessment, until it is submitted.
    Assessment,
    /// The next Team Around the Family review.
    Review,
    /// The next visit to the family.
    Visit,
}

impl DueKind {
    pub const ALL: [DueKind; 3] = [DueKind::Assessment, DueKind::Review, DueKind::Visit];

    pub fn code(self) -> &'static str {
        match self {
            DueKind::Assessment => "assessment",
            DueKind::Review => "review",
            DueKind::Visit => "visit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DueKind::Assessment => "Whole-family assessment",
            DueKind::Review => "Team Around the Family review",
            DueKind::Visit => "Visit",
        }
    }

    /// The plural, for counts and filters.
    pub fn plural(self) -> &'static str {
        match self {
            DueKind::Assessment => "Assessments",
            DueKind::Review => "Reviews",
            DueKind::Visit => "Visits",
        }
    }
}

/// How many days before the due date work is flagged as due soon.
pub const DUE_SOON_DAYS: i64 = 7;

pub fn due(on: NaiveDate, today: NaiveDate) -> Due {
    let left = (on - today).num_days();
    if left < 0 {
        Due::Overdue(-left)
    } else if left <= DUE_SOON_DAYS {
        Due::Soon(left)
    } else {
        Due::Later(left)
    }
}

impl Due {
    pub fn is_overdue(self) -> bool {
        matches!(self, Due::Overdue(_))
    }

    /// Sort key: overdue first (most overdue first), then soonest.
    pub fn urgency(self) -> i64 {
        match self {
            Due::Overdue(d) => -d,
            Due::Soon(d) | Due::Later(d) => d,
        }
    }

    pub fn describe(self) -> String {
        match self {
            Due::Overdue(1) => "1 day overdue".into(),
            Due::Overdue(d) => format!("{d} days overdue"),
            Due::Soon(0) => "due today".into(),
            Due::Soon(1) | Due::Later(1) => "due tomorrow".into(),
            Due::Soon(d) | Due::Later(d) => format!("due in {d} days"),
        }
    }
}

/// How far ahead a date in an episode may be recorded (a review planned, an action due).
pub const FURTHEST_AHEAD_DAYS: i64 = 2 * 366;

/// Why a date recorded in an episode is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRefused {
    BeforeEpisode,
    InFuture,
    TooFarAhead,
}

impl DateRefused {
    /// The message at the field; `what` names it ("The review date").
    pub fn message(self, what: &str, started: NaiveDate) -> String {
        match self {
            DateRefused::BeforeEpisode => format!(
                "{what} must be on or after the episode began ({})",
                started.format("%-d %B %Y")
            ),
            DateRefused::InFuture => format!("{what} must be today or in the past"),
            DateRefused::TooFarAhead => format!("{what} must be within the next two years"),
        }
    }
}

/// Something that happened (a review held, a visit made): within the episode, not in the future.
pub fn check_happened(
    on: NaiveDate,
    started: NaiveDate,
    today: NaiveDate,
) -> Result<(), DateRefused> {
    if on < started {
        Err(DateRefused::BeforeEpisode)
    } else if on > today {
        Err(DateRefused::InFuture)
    } else {
        Ok(())
    }
}

/// Something planned (a next review, an action's date): not before the episode, not years away.
pub fn check_planned(
    on: NaiveDate,
    started: NaiveDate,
    today: NaiveDate,
) -> Result<(), DateRefused> {
    if on < started {
        Err(DateRefused::BeforeEpisode)
    } else if on > today + Duration::days(FURTHEST_AHEAD_DAYS) {
        Err(DateRefused::TooFarAhead)
    } else {
        Ok(())
    }
}

/// The kind of contact a case note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Visit,
    Call,
    Meeting,
    Message,
    Other,
}

impl NoteKind {
    pub const ALL: [NoteKind; 5] = [
        NoteKind::Visit,
        NoteKind::Call,
        NoteKind::Meeting,
        NoteKind::Message,
        NoteKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NoteKind::Visit => "visit",
            NoteKind::Call => "call",
            NoteKind::Meeting => "meeting",
            NoteKind::Message => "message",
            NoteKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Visit => "Visit",
            NoteKind::Call => "Phone call",
            NoteKind::Meeting => "Meeting",
            NoteKind::Message => "Message",
            NoteKind::Other => "Other",
        }
    }
}

/// Who may read a case note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteVisibility {
    /// Everyone in the Team Around the Family.
    Taf,
    /// Only the team that owns the episode (and the lead professional).
    OwningTeam,
}

impl NoteVisibility {
    pub fn code(self) -> &'static str {
        match self {
            NoteVisibility::Taf => "taf",
            NoteVisibility::OwningTeam => "owning_team",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [NoteVisibility::Taf, NoteVisibility::OwningTeam]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EpisodeLevel::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn due_kinds_read_back_from_their_codes() {
        for k in DueKind::ALL {
            assert_eq!(DueKind::from_code(k.code()), Some(k));
        }
        assert_eq!(DueKind::from_code("lunch"), None);
    }

    #[test]
    fn steps_between_levels() {
        let table = [
            (Early, Targeted, true, Ok(Step::Up)),
            (Early, SocialCare, true, Ok(Step::Up)),
            (Targeted, SocialCare, true, Ok(Step::Up)),
            (SocialCare, Targeted, true, Ok(Step::Down)),
            (Targeted, Early, true, Ok(Step::Down)),
            (SocialCare, Early, true, Ok(Step::Down)),
            (Early, Early, true, Err(StepRefused::SameLevel)),
            (Early, Targeted, false, Err(StepRefused::Closed)),
        ];
        for (from, to, open, want) in table {
            assert_eq!(step(from, to, open), want, "{from:?} → {to:?} open={open}");
        }
        assert_eq!(
            step_in_direction(Targeted, Early, true, Step::Up),
            Err(StepRefused::WrongDirection)
        );
        assert_eq!(
            step_in_direction(Early, Targeted, true, Step::Up),
            Ok(Step::Up)
        );
    }

    #[test]
    fn codes_round_trip() {
        for l in EpisodeLevel::ALL {
            assert_eq!(EpisodeLevel::from_code(l.code()), Some(l));
        }
        for r in ClosureReason::ALL {
            assert_eq!(ClosureReason::from_code(r.code()), Some(r));
        }
        for r in NeedResult::ALL {
            assert_eq!(NeedResult::from_code(r.code()), Some(r));
        }
        for k in NoteKind::ALL {
            assert_eq!(NoteKind::from_code(k.code()), Some(k));
        }
        for r in Route::ALL {
            assert_eq!(Route::from_code(r.code()), Some(r));
        }
        assert_eq!(EpisodeLevel::from_code("nope"), None);
    }

    #[test]
    fn overdue_soon_and_later() {
        let today = d("2026-11-22");
        let table = [
            ("2026-11-21", Due::Overdue(1), "1 day overdue"),
            ("2026-11-01", Due::Overdue(21), "21 days overdue"),
            ("2026-11-22", Due::Soon(0), "due today"),
            ("2026-11-23", Due::Soon(1), "due tomorrow"),
            ("2026-11-29", Due::Soon(7), "due in 7 days"),
            ("2026-11-30", Due::Later(8), "due in 8 days"),
        ];
        for (on, want, text) in table {
            let got = due(d(on), today);
            assert_eq!(got, want, "{on}");
            assert_eq!(got.describe(), text);
        }
        assert!(due(d("2026-11-01"), today).is_overdue());
        let mut list = vec![
            Due::Later(9),
            Due::Overdue(2),
            Due::Soon(1),
            Due::Overdue(30),
        ];
        list.sort_by_key(|d| d.urgency());
        assert_eq!(
            list,
            vec![
                Due::Overdue(30),
                Due::Overdue(2),
                Due::Soon(1),
                Due::Later(9)
            ]
        );
    }

    #[test]
    fn dates_in_an_episode() {
        let (started, today) = (d("2026-06-01"), d("2026-11-22"));
        assert_eq!(
            check_happened(d("2026-05-31"), started, today),
            Err(DateRefused::BeforeEpisode)
        );
        assert_eq!(
            check_happened(d("2026-11-23"), started, today),
            Err(DateRefused::InFuture)
        );
        assert_eq!(check_happened(d("2026-06-01"), started, today), Ok(()));
        assert_eq!(check_planned(d("2027-01-03"), started, today), Ok(()));
        assert_eq!(
            check_planned(d("2030-01-01"), started, today),
            Err(DateRefused::TooFarAhead)
        );
        assert!(DateRefused::BeforeEpisode
            .message("The review date", started)
            .contains("1 June 2026"));
    }
}
