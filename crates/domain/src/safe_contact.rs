//! Contacting a family member safely (issue 24, ADR 0050): whether a text may be sent to them,
//! by which channels they want to hear from Hearth, and the hours in which a text is safe.
//! A text queued outside those hours is held until they next begin (never dropped, never sent
//! early). Hours are the family's own clock: Europe/London, summer time included.

use crate::message::Channel;
use crate::person::{ContactChoice, SafeAnswer};
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use chrono_tz::Tz;

/// The hours in which a text is safe, on the family's clock: from `from` (inclusive) until
/// `until` (exclusive), every day or on weekdays only. Stored as `09:00-17:00` or
/// `09:00-17:00 weekdays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeHours {
    pub from: NaiveTime,
    pub until: NaiveTime,
    pub weekdays_only: bool,
}

/// What is wrong with the safe hours typed; each message says what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursProblem {
    /// One time given without the other.
    OnlyOne,
    FromNotATime,
    UntilNotATime,
    /// The end is not after the start (hours across midnight are not a safe time to text).
    UntilNotAfterFrom,
}

impl HoursProblem {
    /// The field the problem is shown beside.
    pub fn field(self) -> &'static str {
        match self {
            Self::UntilNotATime | Self::UntilNotAfterFrom => "safe_until",
            Self::OnlyOne | Self::FromNotATime => "safe_from",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::OnlyOne => {
                "Enter both times texts are safe between, like 09:00 and 17:00, or neither"
            }
            Self::FromNotATime => "Enter the time texts are safe from as hours and minutes, like 09:00",
            Self::UntilNotATime => "Enter the time texts are safe until as hours and minutes, like 17:00",
            Self::UntilNotAfterFrom => {
                "The time texts are safe until must be later the same day than the time they are safe from"
            }
        }
    }
}

/// Reads a time as people type it: `9`, `9:00`, `09.30`, `0930`, `17:00`.
fn read_time(typed: &str) -> Option<NaiveTime> {
    let t = typed.trim();
    let (h, m) = match t.find([':', '.']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None if t.len() == 4 => t.split_at(2),
        None => (t, "0"),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

impl SafeHours {
    /// The hours from what was typed: none when both times are empty (any time is safe).
    pub fn read(
        from: &str,
        until: &str,
        weekdays_only: bool,
    ) -> Result<Option<SafeHours>, HoursProblem> {
        match (from.trim().is_empty(), until.trim().is_empty()) {
            (true, true) => return Ok(None),
            (true, false) | (false, true) => return Err(HoursProblem::OnlyOne),
            _ => {}
        }
        let from = read_time(from).ok_or(HoursProblem::FromNotATime)?;
        let until = read_time(until).ok_or(HoursProblem::UntilNotATime)?;
        if until <= from {
            return Err(HoursProblem::UntilNotAfterFrom);
        }
        Ok(Some(SafeHours {
            from,
            until,
            weekdays_only,
        }))
    }

    /// The stored form, which is also how a page shows it.
    pub fn code(&self) -> String {
        let hours = format!(
            "{}-{}",
            self.from.format("%H:%M"),
            self.until.format("%H:%M")
        );
        if self.weekdays_only {
            format!("{hours} weekdays")
        } else {
            hours
        }
    }

    /// Reads the stored form back.
    pub fn from_code(code: &str) -> Option<SafeHours> {
        let (hours, weekdays_only) = match code.strip_suffix(" weekdays") {
            Some(h) => (h, true),
            None => (code, false),
        };
        let (from, until) = hours.split_once('-')?;
        SafeHours::read(from, until, weekdays_only).ok().flatten()
    }

    fn day_allowed(&self, day: NaiveDate) -> bool {
        !self.weekdays_only || day.weekday().number_from_monday() <= 5
    }

    /// When a text queued at `now` may go: `now` itself within the hours, otherwise the next
    /// time they begin on an allowed day. On the morning the clocks go forward a start inside
    /// the missing hour is the first minute after it; on the night they go back, the first of
    /// the two.
    pub fn next_safe(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let local = now.with_timezone(&London);
        let today = local.date_naive();
        if self.day_allowed(today) && local.time() >= self.from && local.time() < self.until {
            return now;
        }
        let first = if local.time() < self.from {
            today
        } else {
            today + Duration::days(1)
        };
        // At most two weekend days are skipped, so eight days always find one.
        (0..8)
            .map(|n| first + Duration::days(n))
            .find(|d| self.day_allowed(*d))
            .map(|d| start_on(d, self.from))
            .unwrap_or(now)
    }
}

/// `time` on `day` in London, in UTC.
fn start_on(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let at = |t: NaiveTime| London.from_local_datetime(&day.and_time(t));
    let pick = |r: LocalResult<DateTime<Tz>>| match r {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(first, _) => Some(first),
        LocalResult::None => None,
    };
    // A time the clocks skip: the first one that exists after it, an hour on at most.
    (0..=60)
        .find_map(|m| pick(at(time + Duration::minutes(m))))
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&day.and_time(time)))
}

/// Why a text cannot be sent to a person; each says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRefusal {
    NoMobile,
    /// The family said texting is not safe, or were never asked.
    NotSafe,
    NotAsked,
    /// They asked for email only.
    EmailChosen,
}

impl TextRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::NoMobile => "Record their mobile number on their details first",
            Self::NotSafe => {
                "They said texting them is not safe: send the link by email or give it in person"
            }
            Self::NotAsked => {
                "Ask them whether texting is safe, and record it on their details first"
            }
            Self::EmailChosen => "They asked to hear from us by email only",
        }
    }
}

/// Whether a person may be texted: a mobile on the record, texting said to be safe, and text
/// among the channels they chose (or no choice made).
pub fn may_text(
    has_mobile: bool,
    safe: Option<SafeAnswer>,
    choice: Option<ContactChoice>,
) -> Result<(), TextRefusal> {
    if !has_mobile {
        return Err(TextRefusal::NoMobile);
    }
    match safe {
        None => return Err(TextRefusal::NotAsked),
        Some(SafeAnswer::No) => return Err(TextRefusal::NotSafe),
        Some(SafeAnswer::Yes) => {}
    }
    if choice == Some(ContactChoice::Email) {
        return Err(TextRefusal::EmailChosen);
    }
    Ok(())
}

/// The channels a message Hearth sends on its own (not a practitioner's chosen send) goes by:
/// what the person chose, email when they chose nothing.
pub fn channels_for(choice: Option<ContactChoice>) -> &'static [Channel] {
    match choice {
        None | Some(ContactChoice::Email) => &[Channel::Email],
        Some(ContactChoice::Text) => &[Channel::Text],
        Some(ContactChoice::Both) => &[Channel::Email, Channel::Text],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn hours(from: &str, until: &str, weekdays_only: bool) -> SafeHours {
        SafeHours::read(from, until, weekdays_only)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_text_is_held_until_the_next_safe_time_in_london() {
        let office = hours("09:00", "17:00", false);
        let weekdays = hours("09:00", "17:00", true);
        let early = hours("01:30", "05:00", false);
        // (case, hours, queued at (UTC), may go at (UTC))
        let table = [
            // Winter: London is UTC.
            (
                "within, winter",
                office,
                utc(2026, 12, 7, 10, 0),
                utc(2026, 12, 7, 10, 0),
            ),
            (
                "at the start",
                office,
                utc(2026, 12, 7, 9, 0),
                utc(2026, 12, 7, 9, 0),
            ),
            (
                "at the end: not safe",
                office,
                utc(2026, 12, 7, 17, 0),
                utc(2026, 12, 8, 9, 0),
            ),
            (
                "before, winter",
                office,
                utc(2026, 12, 7, 6, 0),
                utc(2026, 12, 7, 9, 0),
            ),
            (
                "evening, winter",
                office,
                utc(2026, 12, 7, 20, 0),
                utc(2026, 12, 8, 9, 0),
            ),
            // Summer: London is an hour ahead, so 09:00 is 08:00 UTC.
            (
                "before, summer",
                office,
                utc(2026, 7, 6, 7, 30),
                utc(2026, 7, 6, 8, 0),
            ),
            (
                "within, summer (08:30 UTC)",
                office,
                utc(2026, 7, 6, 8, 30),
                utc(2026, 7, 6, 8, 30),
            ),
            (
                "16:30 UTC is 17:30 in summer",
                office,
                utc(2026, 7, 6, 16, 30),
                utc(2026, 7, 7, 8, 0),
            ),
            (
                "23:30 UTC is tomorrow in summer",
                office,
                utc(2026, 7, 6, 23, 30),
                utc(2026, 7, 7, 8, 0),
            ),
            // Weekdays only: Friday evening waits for Monday.
            (
                "friday evening",
                weekdays,
                utc(2026, 12, 4, 18, 0),
                utc(2026, 12, 7, 9, 0),
            ),
            (
                "saturday noon",
                weekdays,
                utc(2026, 12, 5, 12, 0),
                utc(2026, 12, 7, 9, 0),
            ),
            (
                "sunday noon, every day",
                office,
                utc(2026, 12, 6, 12, 0),
                utc(2026, 12, 6, 12, 0),
            ),
            // Across the change to summer time (Sunday 29 March 2026): Friday's held text
            // goes at Monday 09:00 BST, 08:00 UTC.
            (
                "friday before summer time",
                weekdays,
                utc(2026, 3, 27, 18, 0),
                utc(2026, 3, 30, 8, 0),
            ),
            (
                "saturday night before",
                office,
                utc(2026, 3, 28, 22, 0),
                utc(2026, 3, 29, 8, 0),
            ),
            // Across the change back (Sunday 25 October 2026): Saturday 09:00 is BST, Monday's GMT.
            (
                "friday before winter time",
                weekdays,
                utc(2026, 10, 23, 18, 0),
                utc(2026, 10, 26, 9, 0),
            ),
            (
                "saturday night before winter",
                office,
                utc(2026, 10, 24, 22, 0),
                utc(2026, 10, 25, 9, 0),
            ),
            // 01:30 does not exist on 29 March: the first minute after the gap (02:00 BST).
            (
                "a start the clocks skip",
                early,
                utc(2026, 3, 28, 12, 0),
                utc(2026, 3, 29, 1, 0),
            ),
            // 01:30 happens twice on 25 October: the first (BST, 00:30 UTC).
            (
                "a start the clocks repeat",
                early,
                utc(2026, 10, 24, 12, 0),
                utc(2026, 10, 25, 0, 30),
            ),
        ];
        for (case, h, queued, due) in table {
            assert_eq!(h.next_safe(queued), due, "{case}");
        }
    }

    #[test]
    fn hours_read_as_typed_and_say_what_to_fix() {
        assert_eq!(SafeHours::read("", " ", true), Ok(None));
        assert_eq!(
            SafeHours::read("9", "17.30", true).unwrap().unwrap().code(),
            "09:00-17:30 weekdays"
        );
        assert_eq!(
            SafeHours::read("0930", "1700", false)
                .unwrap()
                .unwrap()
                .code(),
            "09:30-17:00"
        );
        let table = [
            ("09:00", "", HoursProblem::OnlyOne),
            ("", "17:00", HoursProblem::OnlyOne),
            ("nine", "17:00", HoursProblem::FromNotATime),
            ("25:00", "17:00", HoursProblem::FromNotATime),
            ("09:00", "5pm", HoursProblem::UntilNotATime),
            ("17:00", "09:00", HoursProblem::UntilNotAfterFrom),
            ("09:00", "09:00", HoursProblem::UntilNotAfterFrom),
        ];
        for (from, until, problem) in table {
            assert_eq!(
                SafeHours::read(from, until, false),
                Err(problem),
                "{from}–{until}"
            );
        }
        for code in ["09:00-17:00", "08:15-12:00 weekdays"] {
            assert_eq!(SafeHours::from_code(code).unwrap().code(), code);
        }
        assert_eq!(SafeHours::from_code("17:00-09:00"), None);
    }

    #[test]
    fn a_person_is_texted_only_when_it_is_safe_and_they_did_not_choose_email() {
        use ContactChoice as C;
        use SafeAnswer as S;
        let table = [
            (false, Some(S::Yes), None, Err(TextRefusal::NoMobile)),
            (true, None, None, Err(TextRefusal::NotAsked)),
            (true, Some(S::No), Some(C::Text), Err(TextRefusal::NotSafe)),
            (
                true,
                Some(S::Yes),
                Some(C::Email),
                Err(TextRefusal::EmailChosen),
            ),
            (true, Some(S::Yes), None, Ok(())),
            (true, Some(S::Yes), Some(C::Text), Ok(())),
            (true, Some(S::Yes), Some(C::Both), Ok(())),
        ];
        for (mobile, safe, choice, answer) in table {
            assert_eq!(
                may_text(mobile, safe, choice),
                answer,
                "{mobile} {safe:?} {choice:?}"
            );
        }
        assert_eq!(channels_for(None), &[Channel::Email]);
        assert_eq!(
            channels_for(Some(C::Both)),
            &[Channel::Email, Channel::Text]
        );
    }
}
