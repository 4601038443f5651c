//! Timestamps are UTC and stored as fixed-width RFC 3339 text so that they sort the same way
//! as text and as time on every database engine.

use chrono::{DateTime, SecondsFormat, Utc};

/// The storage form of an instant: `2026-11-22T10:03:41.123456Z`.
pub fn to_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads the storage form back; `None` for anything that is not RFC 3339.
pub fn from_text(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn storage_form_is_fixed_width_and_round_trips() {
        let a = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let text = to_text(a);
        assert_eq!(text, "2026-01-02T03:04:05.000000Z");
        assert_eq!(from_text(&text), Some(a));
        assert_eq!(from_text("yesterday"), None);
    }
}
