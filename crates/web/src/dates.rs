//! One way of writing dates and times on every page, as the GOV.UK style guide does:
//! "4 December 2026", and "4 December 2026, 3:15pm" in UK time (times are stored in UTC).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// A calendar date: "4 December 2026".
pub fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The date in the UK of a moment: "4 December 2026".
pub fn day_of(t: DateTime<Utc>) -> String {
    day(t.with_timezone(&London).date_naive())
}

/// A moment in UK time: "4 December 2026, 3:15pm" (midday and midnight said in words).
pub fn moment(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&London);
    let clock = match local.format("%H:%M").to_string().as_str() {
        "12:00" => "midday".to_string(),
        "00:00" => "midnight".to_string(),
        _ => local.format("%-I:%M%P").to_string(),
    };
    format!("{}, {clock}", day(local.date_naive()))
}

/// A moment to the second in UK time, where the order of events matters (the audit log):
/// "4 December 2026, 15:15:07".
pub fn exact_moment(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&London);
    format!("{}, {}", day(local.date_naive()), local.format("%H:%M:%S"))
}

/// The same, called on the value in a template: `{{ note.occurred_on.uk() }}`.
pub trait UkDate {
    /// "4 December 2026".
    fn uk(&self) -> String;
}

impl UkDate for NaiveDate {
    fn uk(&self) -> String {
        day(*self)
    }
}

impl UkDate for DateTime<Utc> {
    fn uk(&self) -> String {
        day_of(*self)
    }
}

/// A moment with its time, in a template: `{{ token.last_used_at.uk_moment() }}`.
pub trait UkMoment {
    /// "4 December 2026, 3:05pm".
    fn uk_moment(&self) -> String;
    /// "3:05pm".
    fn uk_time(&self) -> String;
}

impl UkMoment for DateTime<Utc> {
    fn uk_moment(&self) -> String {
        moment(*self)
    }

    fn uk_time(&self) -> String {
        moment(*self)
            .rsplit_once(", ")
            .map(|(_, time)| time.to_string())
            .unwrap_or_default()
    }
}

/// A day a practitioner works to, with its weekday: "Wednesday 25 November 2026".
pub fn weekday(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_and_times_read_as_the_style_guide_says_in_uk_time() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(day(d), "4 December 2026");
        // Winter: UK time is UTC.
        let winter = Utc.with_ymd_and_hms(2026, 12, 4, 15, 5, 0).unwrap();
        assert_eq!(moment(winter), "4 December 2026, 3:05pm");
        // Summer: an hour ahead, and late in the evening UTC is already the next day.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(moment(summer), "2 July 2026, 12:30am");
        assert_eq!(day_of(summer), "2 July 2026");
        let noon = Utc.with_ymd_and_hms(2026, 7, 1, 11, 0, 0).unwrap();
        assert_eq!(moment(noon), "1 July 2026, midday");
        assert_eq!(noon.uk_time(), "midday");
        assert_eq!(summer.uk(), "2 July 2026");
        assert_eq!(weekday(d), "Friday 4 December 2026");
        assert_eq!(exact_moment(summer), "2 July 2026, 00:30:00");
    }
}
