//! Family Hubs: the light-touch registration of a family at a hub, the programmes and sessions
//! the hub runs from the directory's services, bookings with a waiting list, and the reach
//! figures (who came, by age band). Pure rules; the store keeps them, the gate guards them.

use chrono::{Datelike, Duration, NaiveDate};

/// A course runs as a set of sessions families book on whole; a drop-in is open to whoever
/// comes, booked or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgrammeKind {
    Course,
    DropIn,
}

impl ProgrammeKind {
    pub const ALL: [ProgrammeKind; 2] = [ProgrammeKind::Course, ProgrammeKind::DropIn];

    pub fn code(self) -> &'static str {
        match self {
            ProgrammeKind::Course => "course",
            ProgrammeKind::DropIn => "drop_in",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProgrammeKind::Course => "Course (families book the whole course)",
            ProgrammeKind::DropIn => "Drop-in",
        }
    }
}

/// Where a family member's place on a programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Booked,
    Waiting,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 2] = [BookingStatus::Booked, BookingStatus::Waiting];

    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Waiting => "waiting",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Booked => "Booked",
            BookingStatus::Waiting => "On the waiting list",
        }
    }
}

/// A new booking takes a place while places are left, otherwise it joins the waiting list.
pub fn booking_for(capacity: u32, booked: u32) -> BookingStatus {
    if booked < capacity {
        BookingStatus::Booked
    } else {
        BookingStatus::Waiting
    }
}

/// The dates of a programme's sessions: one on `first`, then one a week for `weeks` weeks in
/// all (a ten-week course is ten dates, a drop-in set up for a term its weeks).
pub fn weekly_dates(first: NaiveDate, weeks: u32) -> Vec<NaiveDate> {
    (0..weeks)
        .map(|w| first + Duration::weeks(i64::from(w)))
        .collect()
}

/// The share of a course's sessions a person must come to for it to count as completed, as a
/// percentage, unless the partnership sets its own.
pub const COMPLETION_PERCENT: u32 = 75;

/// Whether someone completed a course: it has finished (its last session is past), and they
/// came to at least `percent` of the sessions it held (cancelled ones are not held). A
/// drop-in has no end to complete.
pub fn completed(
    kind: ProgrammeKind,
    finished: bool,
    attended: u32,
    held: u32,
    percent: u32,
) -> bool {
    kind == ProgrammeKind::Course
        && finished
        && held > 0
        && u64::from(attended) * 100 >= u64::from(held) * u64::from(percent)
}

/// The age bands the reach report counts people in, as the Start for Life offer reads them:
/// an expected baby, under two, two to four (the rest of the under-fives), school age, young
/// people and adults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    Expected,
    UnderTwo,
    TwoToFour,
    FiveToTen,
    ElevenToSeventeen,
    Adult,
    NotKnown,
}

impl AgeBand {
    pub const ALL: [AgeBand; 7] = [
        AgeBand::Expected,
        AgeBand::UnderTwo,
        AgeBand::TwoToFour,
        AgeBand::FiveToTen,
        AgeBand::ElevenToSeventeen,
        AgeBand::Adult,
        AgeBand::NotKnown,
    ];

    /// The band of someone born (or due) on `dob`, on `day`.
    pub fn on(dob: Option<NaiveDate>, expected: bool, day: NaiveDate) -> AgeBand {
        let Some(dob) = dob else {
            return AgeBand::NotKnown;
        };
        if expected && dob > day {
            return AgeBand::Expected;
        }
        let mut years = day.year() - dob.year();
        if (day.month(), day.day()) < (dob.month(), dob.day()) {
            years -= 1;
        }
        match years {
            i32::MIN..=1 => AgeBand::UnderTwo,
            2..=4 => AgeBand::TwoToFour,
            5..=10 => AgeBand::FiveToTen,
            11..=17 => AgeBand::ElevenToSeventeen,
            _ => AgeBand::Adult,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::Expected => "expected",
            AgeBand::UnderTwo => "under_2",
            AgeBand::TwoToFour => "2_to_4",
            AgeBand::FiveToTen => "5_to_10",
            AgeBand::ElevenToSeventeen => "11_to_17",
            AgeBand::Adult => "adult",
            AgeBand::NotKnown => "not_known",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Expected => "Expected baby",
            AgeBand::UnderTwo => "Under 2",
            AgeBand::TwoToFour => "2 to 4",
            AgeBand::FiveToTen => "5 to 10",
            AgeBand::ElevenToSeventeen => "11 to 17",
            AgeBand::Adult => "Adult (18 and over)",
            AgeBand::NotKnown => "Age not known",
        }
    }

    /// Under five, the Start for Life and early years reach.
    pub fn under_five(self) -> bool {
        matches!(
            self,
            AgeBand::Expected | AgeBand::UnderTwo | AgeBand::TwoToFour
        )
    }
}

/// The bands a ward's under-fives population counts: children born and under five (a baby
/// not born yet is in no population figure, so is not reached in the share either).
pub const BORN_UNDER_FIVE: [AgeBand; 2] = [AgeBand::UnderTwo, AgeBand::TwoToFour];

/// The share of a population reached, in tenths of a percent (123 is 12.3%); none without a
/// population to divide by.
pub fn share_tenths(reached: u64, population: u64) -> Option<u64> {
    (population > 0).then(|| (reached * 1000 + population / 2) / population)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    #[test]
    fn a_booking_takes_a_place_until_they_are_gone_then_waits() {
        assert_eq!(booking_for(12, 0), BookingStatus::Booked);
        assert_eq!(booking_for(12, 11), BookingStatus::Booked);
        assert_eq!(booking_for(12, 12), BookingStatus::Waiting);
        assert_eq!(booking_for(0, 0), BookingStatus::Waiting);
    }

    #[test]
    fn a_ten_week_course_has_ten_weekly_dates() {
        let dates = weekly_dates(d(2026, 1, 6), 10);
        assert_eq!(dates.len(), 10);
        assert_eq!(dates[1], d(2026, 1, 13));
        assert_eq!(dates[9], d(2026, 3, 10));
    }

    #[test]
    fn age_bands_follow_birthdays_and_an_expected_baby_is_its_own_band() {
        let day = d(2026, 6, 1);
        assert_eq!(
            AgeBand::on(Some(d(2026, 9, 1)), true, day),
            AgeBand::Expected
        );
        assert_eq!(
            AgeBand::on(Some(d(2026, 5, 1)), true, day),
            AgeBand::UnderTwo
        );
        assert_eq!(
            AgeBand::on(Some(d(2024, 6, 2)), false, day),
            AgeBand::UnderTwo
        );
        assert_eq!(
            AgeBand::on(Some(d(2024, 6, 1)), false, day),
            AgeBand::TwoToFour
        );
        assert_eq!(
            AgeBand::on(Some(d(2021, 6, 1)), false, day),
            AgeBand::FiveToTen
        );
        assert_eq!(
            AgeBand::on(Some(d(2010, 1, 1)), false, day),
            AgeBand::ElevenToSeventeen
        );
        assert_eq!(AgeBand::on(Some(d(2008, 6, 1)), false, day), AgeBand::Adult);
        assert_eq!(AgeBand::on(None, false, day), AgeBand::NotKnown);
        assert!(AgeBand::TwoToFour.under_five() && !AgeBand::FiveToTen.under_five());
    }

    #[test]
    fn a_course_is_completed_at_the_threshold_once_it_has_finished() {
        let course = ProgrammeKind::Course;
        assert!(completed(course, true, 8, 10, 75));
        assert!(completed(course, true, 6, 8, 75));
        assert!(!completed(course, true, 7, 10, 75));
        assert!(!completed(course, false, 10, 10, 75));
        assert!(!completed(course, true, 0, 0, 75));
        assert!(!completed(ProgrammeKind::DropIn, true, 10, 10, 75));
        assert!(completed(course, true, 1, 10, 10));
        assert!(completed(course, true, 10, 10, 100) && !completed(course, true, 9, 10, 100));
    }

    #[test]
    fn a_share_is_in_tenths_of_a_percent_rounded() {
        assert_eq!(share_tenths(123, 1000), Some(123));
        assert_eq!(share_tenths(1, 3), Some(333));
        assert_eq!(share_tenths(2, 3), Some(667));
        assert_eq!(share_tenths(5, 0), None);
        assert!(BORN_UNDER_FIVE.iter().all(|b| b.under_five()));
        assert!(!BORN_UNDER_FIVE.contains(&AgeBand::Expected));
    }

    #[test]
    fn codes_read_back() {
        for b in AgeBand::ALL {
            assert_eq!(AgeBand::from_code(b.code()), Some(b));
        }
        for k in ProgrammeKind::ALL {
            assert_eq!(ProgrammeKind::from_code(k.code()), Some(k));
        }
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::from_code(s.code()), Some(s));
        }
    }
}
