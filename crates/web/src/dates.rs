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
    }
}
