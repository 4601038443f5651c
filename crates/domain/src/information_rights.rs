//! Information rights under UK GDPR and the Data Protection Act 2018: the deadlines of a
//! subject access request (Article 12(3)).

use chrono::{Months, NaiveDate};

/// Where a subject access request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SarStatus {
    /// Logged; being gathered and reviewed.
    Open,
    /// Released to the person who asked: the document is kept as it was sent.
    Released,
}

impl SarStatus {
    pub const ALL: [SarStatus; 2] = [SarStatus::Open, SarStatus::Released];

    pub fn code(self) -> &'static str {
        match self {
            SarStatus::Open => "open",
            SarStatus::Released => "released",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SarStatus::Open => "Open",
            SarStatus::Released => "Released",
        }
    }
}

/// The day a request is due: one calendar month after it was received (the same day of the
/// next month, or that month's last day when it has no such day: 31 January → 28 or 29
/// February), as the ICO reads Article 12(3).
pub fn due_on(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_months(Months::new(1))
        .unwrap_or(received)
}

/// The latest a request may be extended to: two further months (Article 12(3)), so three
/// calendar months after it was received.
pub fn latest_extension(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_months(Months::new(3))
        .unwrap_or(received)
}

/// How a due date reads on the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Overdue { days: i64 },
    DueToday,
    DueIn { days: i64 },
}

pub fn deadline(due: NaiveDate, today: NaiveDate) -> Deadline {
    let days = (due - today).num_days();
    match days {
        d if d < 0 => Deadline::Overdue { days: -d },
        0 => Deadline::DueToday,
        d => Deadline::DueIn { days: d },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn a_request_is_due_one_calendar_month_after_it_was_received() {
        assert_eq!(due_on(d(2026, 3, 5)), d(2026, 4, 5));
        assert_eq!(due_on(d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(due_on(d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(due_on(d(2026, 12, 15)), d(2027, 1, 15));
        assert_eq!(latest_extension(d(2026, 3, 5)), d(2026, 6, 5));
    }

    #[test]
    fn the_queue_says_how_far_off_the_due_date_is() {
        let due = d(2026, 4, 5);
        assert_eq!(deadline(due, d(2026, 4, 1)), Deadline::DueIn { days: 4 });
        assert_eq!(deadline(due, due), Deadline::DueToday);
        assert_eq!(deadline(due, d(2026, 4, 7)), Deadline::Overdue { days: 2 });
    }

    #[test]
    fn statuses_round_trip() {
        for s in SarStatus::ALL {
            assert_eq!(SarStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(SarStatus::from_code("lost"), None);
    }
}
